-- Create an annotation group for an image group of a project.
-- $1 project_id bigint, $2 image_group_id bigint, $3 type text, $4 user_id bigint (creator)
-- -> id bigint
INSERT INTO annotation_group (project_id, image_group_id, type, user_id)
VALUES ($1, $2, $3, $4)
RETURNING id
