-- The queue row of a job, locked until the end of the transaction (no row: not queued).
-- $1 job_id bigint
-- -> started boolean
SELECT started IS NOT NULL AS started
FROM job_run
WHERE job_id = $1
FOR UPDATE
