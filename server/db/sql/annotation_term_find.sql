-- One term link of an annotation, by term and optionally by user (the oldest when several).
-- $1 annotation_id bigint, $2 term_id bigint, $3 user_id bigint (NULL: any)
-- -> obj text (AnnotationTerm JSON)
SELECT row_to_json(v)::text AS obj
FROM api_annotation_term AS v
WHERE v.userannotation = $1 AND v.term = $2 AND ($3::bigint IS NULL OR v."user" = $3)
ORDER BY v.id
LIMIT 1
