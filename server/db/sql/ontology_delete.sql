-- Delete an ontology; its terms and their links go with it (ON DELETE CASCADE).
-- $1 ontology_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM ontology
WHERE id = $1
RETURNING id
