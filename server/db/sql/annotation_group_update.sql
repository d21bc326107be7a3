-- Change the image group or type of an annotation group (it stays in its project).
-- $1 annotation_group_id bigint, $2 image_group_id bigint, $3 type text
-- -> nothing
UPDATE annotation_group
SET image_group_id = $2, type = $3, updated = now()
WHERE id = $1
