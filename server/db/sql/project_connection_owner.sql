-- Whose connection this is and to which project (no row: no such connection).
-- $1 connection_id bigint
-- -> user_id bigint, project_id bigint
SELECT pc.user_id, pc.project_id
FROM project_connection AS pc
WHERE pc.id = $1
