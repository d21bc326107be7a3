-- Delete an uploaded file and what was derived from it (abstract images, slices...).
-- $1 uploaded_file_id bigint
-- -> id bigint, path text (relative path of the deleted file); no row: a concurrent request
--    deleted it first
DELETE FROM uploaded_file WHERE id = $1 RETURNING id, path
