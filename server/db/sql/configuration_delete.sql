-- Delete a setting.
-- $1 configuration_id bigint
DELETE FROM configuration
WHERE id = $1
