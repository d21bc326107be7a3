-- Delete an annotation group; its annotation links cascade.
-- $1 annotation_group_id bigint
-- -> nothing
DELETE FROM annotation_group
WHERE id = $1
