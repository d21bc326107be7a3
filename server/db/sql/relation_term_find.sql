-- One link between two terms.
-- $1 relation_id bigint, $2 term1_id bigint, $3 term2_id bigint
-- -> json text (RelationTerm object)
SELECT row_to_json(v)::text
FROM api_relation_term AS v
WHERE v.relation = $1 AND v.term1 = $2 AND v.term2 = $3
