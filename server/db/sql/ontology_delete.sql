-- Delete an ontology; its terms and their links go with it (ON DELETE CASCADE).
-- $1 ontology_id bigint
-- -> (no rows)
DELETE FROM ontology
WHERE id = $1
