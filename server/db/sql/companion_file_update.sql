-- Change a companion file; NULL keeps a value.
-- $1 companion_file_id bigint, $2 abstract_image_id bigint, $3 uploaded_file_id bigint,
-- $4 original_filename text, $5 filename text, $6 type text, $7 progress int
UPDATE companion_file
SET
    image_id = coalesce($2, image_id),
    uploaded_file_id = coalesce($3, uploaded_file_id),
    original_filename = coalesce($4, original_filename),
    filename = coalesce($5, filename),
    type = coalesce($6, type),
    progress = coalesce($7, progress),
    updated = now()
WHERE id = $1
