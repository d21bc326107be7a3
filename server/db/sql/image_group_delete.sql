-- Delete an image group; its image memberships, annotation groups and their links cascade.
-- $1 image_group_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM image_group
WHERE id = $1
RETURNING id
