-- One annotation link (no row: no such link).
-- $1 annotation_link_id bigint
-- -> obj text (AnnotationLink object)
SELECT row_to_json(v)::text AS obj
FROM api_annotation_link AS v
WHERE v.id = $1
