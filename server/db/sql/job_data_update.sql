-- Rename a job data or change its key (NULL keeps the value).
-- $1 id bigint, $2 key text, $3 filename text
UPDATE job_data
SET
    key = coalesce($2, key),
    filename = coalesce($3, filename),
    updated = now()
WHERE id = $1
