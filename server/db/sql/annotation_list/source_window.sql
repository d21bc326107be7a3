-- The viewer's hot path, image(s) + bbox window: both always bound, so the GiST
-- (image_id, location) index answers it in every plan (custom or generic).
-- $images bigint[]
-- $bbox_minx float8
-- $bbox_miny float8
-- $bbox_maxx float8
-- $bbox_maxy float8

a.image_id = ANY($images)
AND a.location && st_makeenvelope($bbox_minx, $bbox_miny, $bbox_maxx, $bbox_maxy, 0)
