-- Change an uploaded-file record; NULL keeps a value (the stored path never changes here).
-- $1 uploaded_file_id bigint, $2 storage_id bigint, $3 parent_id bigint,
-- $4 original_filename text, $5 filename text, $6 ext text, $7 size bigint,
-- $8 status integer, $9 projects bigint[], $10 content_type text
UPDATE uploaded_file
SET
    storage_id = coalesce($2, storage_id),
    parent_id = coalesce($3, parent_id),
    original_filename = coalesce($4, original_filename),
    filename = coalesce($5, filename),
    ext = coalesce($6, ext),
    size = coalesce($7, size),
    status = coalesce($8, status),
    projects = coalesce($9, projects),
    content_type = coalesce($10, content_type),
    updated = now()
WHERE id = $1
