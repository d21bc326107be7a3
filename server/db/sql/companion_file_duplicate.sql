-- Another companion file of the same abstract image and uploaded file, if any.
-- $1 abstract_image_id bigint, $2 uploaded_file_id bigint, $3 companion_file_id bigint
-- (the one being changed, or NULL) -> id bigint
SELECT cf.id
FROM companion_file AS cf
WHERE
    cf.image_id = $1
    AND cf.uploaded_file_id = $2
    AND cf.id IS DISTINCT FROM $3
LIMIT 1
