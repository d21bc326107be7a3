-- The record of a converted copy of an uploaded file: a child in the same storage, CONVERTING (30).
-- $1 parent_id bigint, $2 filename text, $3 path text
-- -> id bigint
INSERT INTO uploaded_file (
    user_id, storage_id, parent_id, original_filename, filename, ext, content_type, size,
    path, status, projects
)
SELECT user_id, storage_id, id, original_filename, $2, 'tif', NULL, 0, $3, 30, projects
FROM uploaded_file
WHERE id = $1
RETURNING id
