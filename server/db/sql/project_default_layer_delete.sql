-- Delete a default layer.
-- $1 project_id bigint, $2 id bigint -> id
DELETE FROM project_default_layer
WHERE project_id = $1 AND id = $2
RETURNING id
