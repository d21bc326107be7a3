-- The project of an image instance (no row: no such instance).
-- $1 image_instance_id bigint -> project_id bigint, user_id bigint
SELECT project_id, user_id FROM image_instance WHERE id = $1
