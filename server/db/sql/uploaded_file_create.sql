-- A new uploaded-file record made through the API (no bytes yet: path stays NULL).
-- $1 user_id bigint, $2 storage_id bigint, $3 parent_id bigint, $4 original_filename text,
-- $5 filename text, $6 ext text, $7 content_type text, $8 size bigint, $9 status integer,
-- $10 projects bigint[]
-- -> id bigint
INSERT INTO uploaded_file (
    user_id, storage_id, parent_id, original_filename, filename, ext, content_type, size,
    status, projects
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id
