-- Remove a tag from an object.
-- $1 association_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM tag_domain_association WHERE id = $1
RETURNING id
