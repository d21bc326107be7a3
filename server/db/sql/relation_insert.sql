-- Create a relation kind.
-- $1 name text
-- -> id bigint
INSERT INTO relation (name)
VALUES ($1)
RETURNING id
