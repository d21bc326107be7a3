-- One term.
-- $1 term_id bigint
-- -> json text (Term object)
SELECT row_to_json(v)::text
FROM api_term AS v
WHERE v.id = $1
