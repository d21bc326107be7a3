-- Term links of an algo annotation as AlgoAnnotationTerm JSON, oldest first.
-- $1 annotation_id bigint, $2 only_user_id bigint (NULL: any) -> items text (NULL when empty)
SELECT json_agg(row_to_json(v) ORDER BY v.id)::text AS items
FROM api_algo_annotation_term AS v
WHERE v.annotation = $1 AND ($2::bigint IS NULL OR v."user" = $2)
