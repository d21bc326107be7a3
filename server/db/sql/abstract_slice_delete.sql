-- Delete an abstract slice.
-- $1 abstract_slice_id bigint
DELETE FROM abstract_slice WHERE id = $1
