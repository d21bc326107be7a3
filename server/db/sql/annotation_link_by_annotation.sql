-- The link of one annotation (no row: the annotation is in no group).
-- $1 annotation_id bigint
-- -> obj text (AnnotationLink object), id bigint, group_id bigint
SELECT row_to_json(v)::text AS obj, v.id, v."group" AS group_id
FROM api_annotation_link AS v
WHERE v."annotationIdent" = $1
