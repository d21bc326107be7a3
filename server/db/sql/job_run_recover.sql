-- Runs whose runner died: the session a run recorded is gone from pg_stat_activity (runners
-- connect with the same role, so they see each other's sessions). Their rows go and their
-- jobs end FAILED.
-- -> job_id bigint, runner text
WITH lost AS (
    DELETE FROM job_run AS r
    WHERE
        r.started IS NOT NULL
        AND NOT EXISTS (
            SELECT 1
            FROM pg_stat_activity AS a
            WHERE a.pid = r.runner_backend AND a.backend_start = r.runner_backend_start
        )
    RETURNING r.job_id, r.runner
),

failed AS (
    UPDATE job AS j
    SET
        status = 4,
        status_comment = 'The runner running the job stopped (' || lost.runner || ')',
        updated = now()
    FROM lost
    WHERE j.id = lost.job_id AND job_status_allowed(j.status, 4)
    RETURNING j.id
)

SELECT lost.job_id, lost.runner FROM lost
