-- Delete every data row of a job.
-- $1 job_id bigint
DELETE FROM job_data WHERE job_id = $1
