-- Move a slice instance to another plane or image, only when the result stays consistent
-- (same rule as slice_instance_insert).
-- $1 slice_instance_id bigint, $2 project_id bigint, $3 image_instance_id bigint,
-- $4 abstract_slice_id bigint
-- -> id bigint (no row: inconsistent)
UPDATE slice_instance AS si
SET project_id = i.project_id, image_id = i.id, base_slice_id = s.id, updated = now()
FROM image_instance AS i
JOIN abstract_slice AS s ON s.image_id = i.base_image_id
WHERE si.id = $1 AND i.id = $3 AND i.project_id = $2 AND s.id = $4
RETURNING si.id
