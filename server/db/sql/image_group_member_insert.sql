-- Add an image to an image group (UniqueViolation: it is in the group already).
-- $1 image_group_id bigint, $2 image_id bigint
-- -> id bigint
INSERT INTO image_group_image_instance (group_id, image_id)
VALUES ($1, $2)
RETURNING id
