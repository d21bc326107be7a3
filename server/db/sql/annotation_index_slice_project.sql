-- The project of a slice instance (no row: no such slice).
-- $1 slice_instance_id bigint -> project_id bigint
SELECT project_id FROM slice_instance WHERE id = $1
