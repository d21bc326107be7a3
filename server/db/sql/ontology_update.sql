-- Rename an ontology.
-- $1 ontology_id bigint, $2 name text
-- -> (no rows)
UPDATE ontology
SET name = $2, updated = now()
WHERE id = $1
