-- Record the uploaded bytes of a job data; answers the path they replace (NULL: none).
-- $1 id bigint, $2 path text, $3 size bigint, $4 content_type text
-- -> previous text
UPDATE job_data AS d
SET path = $2, size = $3, content_type = $4, updated = now()
FROM job_data AS old
WHERE d.id = $1 AND old.id = d.id
RETURNING old.path AS previous
