-- Create a setting.
-- $1 key text, $2 value text, $3 reading_role text (ALL, USER or ADMIN)
-- -> id bigint
INSERT INTO configuration (key, value, reading_role)
VALUES ($1, $2, $3)
RETURNING id
