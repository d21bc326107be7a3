-- Record the format an uploaded file was recognised as (Cytomine's contentType) and its size.
-- $1 uploaded_file_id bigint, $2 content_type text, $3 size bigint (NULL keeps)
UPDATE uploaded_file
SET content_type = $2, size = coalesce($3, size), updated = now()
WHERE id = $1
