-- Every filter combination but the two below: images and window are optional arms.
-- $images bigint[]
-- $bbox_minx float8
-- $bbox_miny float8
-- $bbox_maxx float8
-- $bbox_maxy float8

($images IS NULL OR a.image_id = ANY($images))
AND (
    $bbox_minx IS NULL
    OR a.location && st_makeenvelope($bbox_minx, $bbox_miny, $bbox_maxx, $bbox_maxy, 0)
)
