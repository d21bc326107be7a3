-- Remove a software from a project.
-- $1 link_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM software_project
WHERE id = $1
RETURNING id
