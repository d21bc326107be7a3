-- One command with what undo and redo need.
-- $1 command_id bigint
-- -> id, user_id, project_id bigint, type, class_name text, object_id bigint, data, state text
SELECT
    c.id, c.user_id, c.project_id, c.type, c.class_name, c.object_id,
    c.data::text AS data, c.state::text AS state
FROM command AS c
WHERE c.id = $1
