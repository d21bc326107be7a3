-- One term link of an annotation by id (no row: none).
-- $1 annotation_term_id bigint -> obj text (AnnotationTerm JSON)
SELECT row_to_json(v)::text AS obj
FROM api_annotation_term AS v
WHERE v.id = $1
