-- Whether a runner should stop a job it runs (no row: the run is gone, the job was deleted
-- or another runner declared this one dead).
-- $1 job_id bigint
-- -> kill_requested boolean
SELECT kill_requested
FROM job_run
WHERE job_id = $1 AND runner_backend IS NOT NULL
