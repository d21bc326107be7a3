-- Remove one image group membership.
-- $1 image_group_image_instance_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM image_group_image_instance
WHERE id = $1
RETURNING id
