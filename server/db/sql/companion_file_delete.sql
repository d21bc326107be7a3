-- Delete a companion file (its uploaded file stays).
-- $1 companion_file_id bigint
DELETE FROM companion_file WHERE id = $1
