-- Take the oldest queued job for the runner whose session runs this statement: the row
-- records the session (backend pid and start) and the job goes RUNNING. Runners never wait
-- for each other (SKIP LOCKED).
-- $1 runner text (a label: host and process id)
-- -> job_id bigint, runnable boolean (false: the job left the queue's life cycle meanwhile)
WITH next AS (
    SELECT r.job_id
    FROM job_run AS r
    WHERE r.started IS NULL
    ORDER BY r.queued, r.job_id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
),

taken AS (
    UPDATE job_run AS r
    SET
        started = clock_timestamp(),
        runner = $1,
        runner_backend = pg_backend_pid(),
        runner_backend_start = (
            SELECT a.backend_start FROM pg_stat_activity AS a WHERE a.pid = pg_backend_pid()
        )
    FROM next
    WHERE r.job_id = next.job_id
    RETURNING r.job_id
),

running AS (
    UPDATE job AS j
    SET status = 2, status_comment = 'Running', updated = now()
    FROM taken
    WHERE j.id = taken.job_id AND job_status_allowed(j.status, 2)
    RETURNING j.id
)

SELECT
    taken.job_id,
    EXISTS (SELECT 1 FROM running) AS runnable
FROM taken
