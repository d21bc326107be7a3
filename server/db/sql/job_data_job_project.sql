-- The project of the job a job data names (no row: no such job).
-- $1 job_id bigint
-- -> project_id bigint
SELECT project_id FROM job WHERE id = $1
