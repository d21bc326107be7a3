-- Whether an abstract image exists, and the storage holding it.
-- $1 abstract_image_id bigint -> storage_id bigint (no row: no image)
SELECT f.storage_id
FROM abstract_image AS a
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
WHERE a.id = $1
