-- One comment of one annotation (no row: no such comment on that annotation).
-- $1 comment id bigint, $2 annotation_id bigint
-- -> obj text (SharedAnnotation object)
SELECT row_to_json(v)::text AS obj
FROM api_shared_annotation AS v
WHERE v.id = $1 AND v."annotationIdent" = $2
