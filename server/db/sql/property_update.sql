-- Change the key and value of a property.
-- $1 property_id bigint, $2 key text, $3 value text
-- -> nothing
UPDATE property SET key = $2, value = $3, updated = now()
WHERE id = $1
