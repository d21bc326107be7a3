-- Remove one image group membership.
-- $1 image_group_image_instance_id bigint
-- -> nothing
DELETE FROM image_group_image_instance
WHERE id = $1
