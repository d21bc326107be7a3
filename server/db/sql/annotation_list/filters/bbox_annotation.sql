-- bboxAnnotation: annotations intersecting that annotation (checked readable beforehand).
-- $bbox_annotation bigint

(
    $bbox_annotation IS NULL
    OR st_intersects(a.location, (SELECT b.location FROM annotation AS b WHERE b.id = $bbox_annotation))
)
