-- Whether an uploaded file exists at all (tells 404 from 403).
-- $1 uploaded_file_id bigint -> boolean
SELECT EXISTS (SELECT 1 FROM uploaded_file WHERE id = $1)
