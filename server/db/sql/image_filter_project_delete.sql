-- Disable a filter in a project.
-- $1 image_filter_project_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM image_filter_project
WHERE id = $1
RETURNING id
