-- Delete an uploaded file and what was derived from it (abstract images, slices...).
-- $1 uploaded_file_id bigint -> path text (relative path of the deleted file)
DELETE FROM uploaded_file WHERE id = $1 RETURNING path
