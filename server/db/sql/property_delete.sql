-- Delete one property.
-- $1 property_id bigint
-- -> nothing
DELETE FROM property WHERE id = $1
