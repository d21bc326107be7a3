-- Create a term in an ontology.
-- $1 name text, $2 comment text, $3 ontology_id bigint, $4 color text
-- -> id bigint
INSERT INTO term (name, comment, ontology_id, color)
VALUES ($1, $2, $3, $4)
RETURNING id
