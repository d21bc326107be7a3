-- Remove an image instance from its project (its slice instances go with it).
-- $1 image_instance_id bigint
DELETE FROM image_instance WHERE id = $1
