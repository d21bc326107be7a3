-- Move an uploaded file to another status (with a readable message for errors) and path.
-- $1 uploaded_file_id bigint, $2 status integer, $3 message text, $4 path text (NULL keeps)
UPDATE uploaded_file
SET status = $2, status_message = $3, path = coalesce($4, path), updated = now()
WHERE id = $1
