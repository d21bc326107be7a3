-- End a run: its queue row goes; answers what the algorithm reported meanwhile. Runs in the
-- runner's transaction before the job takes its final status (job_run_set_final).
-- $1 job_id bigint
-- -> reported_status integer, reported_comment text (no row: the run was gone)
DELETE FROM job_run
WHERE job_id = $1
RETURNING reported_status, reported_comment
