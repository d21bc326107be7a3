-- Create a tag (names are unique ignoring case: UniqueViolation on a duplicate).
-- $1 name text, $2 user_id bigint
-- -> id bigint
INSERT INTO tag (name, user_id) VALUES ($1, $2)
RETURNING id
