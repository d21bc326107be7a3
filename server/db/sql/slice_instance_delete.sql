-- Delete a slice instance.
-- $1 slice_instance_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM slice_instance WHERE id = $1
RETURNING id
