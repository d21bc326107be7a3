-- Runs whose runner died: the session a run recorded is gone from pg_stat_activity (runners
-- connect with the same role, so they see each other's sessions). Their rows go; the runner
-- then fails their jobs (job_run_set_final).
-- -> job_id bigint, runner text
DELETE FROM job_run AS r
WHERE
    r.started IS NOT NULL
    AND NOT EXISTS (
        SELECT 1
        FROM pg_stat_activity AS a
        WHERE a.pid = r.runner_backend AND a.backend_start = r.runner_backend_start
    )
RETURNING r.job_id, r.runner
