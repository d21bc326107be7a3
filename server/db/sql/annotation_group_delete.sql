-- Delete an annotation group; its annotation links cascade.
-- $1 annotation_group_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM annotation_group
WHERE id = $1
RETURNING id
