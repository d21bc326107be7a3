-- What the caller may do with one term, through its ontology (no row: it does not exist).
-- $1 term_id bigint, $2 user_id bigint, $3 is_admin bool, $4 is_guest bool
-- -> ontology_id bigint, readable bool, writable bool
SELECT
    t.ontology_id,
    ontology_readable(t.ontology_id, $2, $3) AS readable,
    ontology_writable(t.ontology_id, $2, $3, $4) AS writable
FROM term AS t
WHERE t.id = $1
