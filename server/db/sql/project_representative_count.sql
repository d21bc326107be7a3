-- How many representatives a project has.
-- $1 project_id bigint -> count
SELECT count(*) FROM project_representative_user WHERE project_id = $1
