-- The centre that places an annotation in the grid (its bbox centre: no geometry maths).
CREATE OR REPLACE FUNCTION annotation_overview_x(g geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (st_xmin(g) + st_xmax(g)) / 2 $$;
