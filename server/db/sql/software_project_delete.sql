-- Remove a software from a project.
-- $1 link_id bigint
-- -> nothing
DELETE FROM software_project
WHERE id = $1
