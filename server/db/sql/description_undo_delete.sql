-- Delete a description by id.
-- $1 description_id bigint -> nothing
DELETE FROM description WHERE id = $1
