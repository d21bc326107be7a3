-- Create an ontology owned by its creator.
-- $1 name text, $2 user_id bigint
-- -> id bigint
INSERT INTO ontology (name, user_id)
VALUES ($1, $2)
RETURNING id
