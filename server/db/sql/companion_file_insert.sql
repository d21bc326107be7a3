-- A new companion file of an abstract image.
-- $1 abstract_image_id bigint, $2 uploaded_file_id bigint, $3 original_filename text,
-- $4 filename text, $5 type text, $6 progress int
-- -> id bigint
INSERT INTO companion_file (image_id, uploaded_file_id, original_filename, filename, type, progress)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id
