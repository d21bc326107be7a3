-- A bbox given as a WKT that is not its envelope: the exact area too.
-- $bbox_area bytea

($bbox_area IS NULL OR st_intersects(a.location, st_geomfromwkb($bbox_area, 0)))
