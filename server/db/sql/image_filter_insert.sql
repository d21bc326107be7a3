-- Register an image filter.
-- $1 name text, $2 method text, $3 available bool
-- -> id bigint
INSERT INTO image_filter (name, method, available)
VALUES ($1, $2, $3)
RETURNING id
