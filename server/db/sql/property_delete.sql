-- Delete one property.
-- $1 property_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM property WHERE id = $1
RETURNING id
