-- Delete an abstract slice.
-- $1 abstract_slice_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM abstract_slice WHERE id = $1
RETURNING id
