-- Change the value and reading role of a setting.
-- $1 configuration_id bigint, $2 value text, $3 reading_role text (ALL, USER or ADMIN)
UPDATE configuration
SET value = $2, reading_role = $3, updated = now()
WHERE id = $1
