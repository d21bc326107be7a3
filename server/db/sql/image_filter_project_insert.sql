-- Enable a filter in a project.
-- $1 image_filter_id bigint, $2 project_id bigint
-- -> id bigint
INSERT INTO image_filter_project (image_filter_id, project_id)
VALUES ($1, $2)
RETURNING id
