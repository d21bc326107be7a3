-- Take a job that has not started out of the queue.
-- $1 job_id bigint
DELETE FROM job_run WHERE job_id = $1 AND started IS NULL
