-- What the caller may do with one ontology (no row: it does not exist).
-- $1 ontology_id bigint, $2 user_id bigint, $3 is_admin bool, $4 is_guest bool
-- -> readable bool, writable bool, in_use bool (a project uses it)
SELECT
    ontology_readable(o.id, $2, $3) AS readable,
    ontology_writable(o.id, $2, $3, $4) AS writable,
    EXISTS (SELECT 1 FROM project AS p WHERE p.ontology_id = o.id) AS in_use
FROM ontology AS o
WHERE o.id = $1
