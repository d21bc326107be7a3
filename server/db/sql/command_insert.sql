-- Record one add/edit/delete; the id goes into the envelope's "command".
-- $1 user_id bigint, $2 project_id bigint (nullable), $3 type text (ADD|EDIT|DELETE),
-- $4 class_name text, $5 object_id bigint, $6 data text (the object as JSON)
-- -> id
INSERT INTO command (user_id, project_id, type, class_name, object_id, data)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)
RETURNING id
