-- Delete a project; members, representatives and default layers go with it (cascade).
-- $1 project_id bigint -> id
DELETE FROM project
WHERE id = $1
RETURNING id
