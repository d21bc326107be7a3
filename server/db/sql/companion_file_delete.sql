-- Delete a companion file (its uploaded file stays).
-- $1 companion_file_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM companion_file WHERE id = $1
RETURNING id
