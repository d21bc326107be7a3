-- One project connection.
-- $1 connection_id bigint
-- -> obj text (PersistentProjectConnection object)
SELECT (to_jsonb(v) - 'created_at' - 'open')::text AS obj
FROM api_project_connection AS v
WHERE v.id = $1
