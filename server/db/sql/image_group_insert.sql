-- Create an image group in a project.
-- $1 name text, $2 project_id bigint, $3 user_id bigint (creator)
-- -> id bigint
INSERT INTO image_group (name, project_id, user_id)
VALUES ($1, $2, $3)
RETURNING id
