-- Delete a job data row.
-- $1 id bigint
DELETE FROM job_data WHERE id = $1 RETURNING id
