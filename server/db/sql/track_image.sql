-- The project and adder of an image instance, for a track placed on it (no row: no image).
-- $1 image_id bigint
-- -> project_id bigint, image_owner bigint
SELECT i.project_id, i.user_id AS image_owner
FROM image_instance AS i
WHERE i.id = $1
