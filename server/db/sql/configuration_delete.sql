-- Delete a setting.
-- $1 configuration_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM configuration
WHERE id = $1
RETURNING id
