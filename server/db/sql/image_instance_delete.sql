-- Remove an image instance from its project (its slice instances go with it).
-- $1 image_instance_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM image_instance WHERE id = $1
RETURNING id
