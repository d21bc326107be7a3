-- A new slice instance, only when consistent: the image instance is in the project and the
-- abstract slice belongs to the image instance's abstract image.
-- $1 project_id bigint, $2 image_instance_id bigint, $3 abstract_slice_id bigint
-- -> id bigint (no row: inconsistent)
INSERT INTO slice_instance (project_id, image_id, base_slice_id)
SELECT i.project_id, i.id, s.id
FROM image_instance AS i
JOIN abstract_slice AS s ON s.image_id = i.base_image_id
WHERE i.id = $2 AND i.project_id = $1 AND s.id = $3
RETURNING id
