-- Disable a filter in a project.
-- $1 image_filter_project_id bigint
DELETE FROM image_filter_project
WHERE id = $1
