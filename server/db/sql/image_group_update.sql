-- Rename an image group (it stays in its project).
-- $1 image_group_id bigint, $2 name text
-- -> nothing
UPDATE image_group
SET name = $2, updated = now()
WHERE id = $1
