-- Delete a slice instance.
-- $1 slice_instance_id bigint
DELETE FROM slice_instance WHERE id = $1
