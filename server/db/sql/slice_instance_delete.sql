-- Delete a slice instance. The store then runs removed_cascade with slices (its annotations go).
-- $1 slice_instance_id bigint
-- -> id bigint, slices bigint[] (no row: a concurrent request deleted it first)
DELETE FROM slice_instance WHERE id = $1
RETURNING id, ARRAY[id] AS slices
