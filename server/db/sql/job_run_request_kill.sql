-- Ask the runner of a started job to stop it.
-- $1 job_id bigint
UPDATE job_run SET kill_requested = true WHERE job_id = $1
