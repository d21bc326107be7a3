-- Remove a tag from an object.
-- $1 association_id bigint
-- -> nothing
DELETE FROM tag_domain_association WHERE id = $1
