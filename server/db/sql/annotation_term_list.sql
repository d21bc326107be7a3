-- Term links of an annotation as AnnotationTerm JSON, oldest first: optionally only one
-- user's, or every user's but one.
-- $1 annotation_id bigint, $2 only_user_id bigint (NULL: any), $3 not_user_id bigint (NULL: none)
-- -> items text (JSON array; NULL when empty)
SELECT json_agg(row_to_json(v) ORDER BY v.id)::text AS items
FROM api_annotation_term AS v
WHERE
    v.userannotation = $1
    AND ($2::bigint IS NULL OR v."user" = $2)
    AND ($3::bigint IS NULL OR v."user" <> $3)
