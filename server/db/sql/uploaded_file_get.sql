-- One uploaded file if the caller may read it (its storage, or admin).
-- $1 uploaded_file_id bigint, $2 user_id bigint, $3 bypass bool (admin)
-- -> obj text (UploadedFile object), message text (why it failed, or NULL)
SELECT row_to_json(v)::text AS obj, f.status_message AS message
FROM api_uploaded_file AS v
JOIN uploaded_file AS f ON f.id = v.id
WHERE v.id = $1 AND ($3 OR storage_readable(f.storage_id, $2))
