-- The user who uploaded the file behind an abstract image.
-- $1 abstract_image_id bigint -> user_id bigint
SELECT f.user_id
FROM abstract_image AS a
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
WHERE a.id = $1
