-- A new uploaded file, status UPLOADED (0), before its bytes are moved into place.
-- $1 user_id bigint, $2 storage_id bigint, $3 original_filename text, $4 filename text,
-- $5 ext text, $6 content_type text, $7 size bigint, $8 projects bigint[]
-- -> id bigint
INSERT INTO uploaded_file (
    user_id, storage_id, original_filename, filename, ext, content_type, size, projects
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id
