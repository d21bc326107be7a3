-- The image instance of a slice instance (no row: no such slice).
-- $1 slice_instance_id bigint -> image_id bigint
SELECT image_id FROM slice_instance WHERE id = $1
