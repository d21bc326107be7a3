-- Queue a job: it goes INQUEUE (from any status the life cycle lets go to the queue, or an
-- INQUEUE set without a run) and gets its queue row, in one statement; runners listening on
-- lamina_job_queue are woken when it commits.
-- $1 job_id bigint
-- -> job_id bigint (no row: the job is queued or running already, or may not be queued)
WITH queued AS (
    UPDATE job AS j
    SET status = 1, progress = 0, status_comment = 'Job queued', updated = now()
    WHERE
        j.id = $1
        AND (j.status = 1 OR job_status_allowed(j.status, 1))
        AND NOT EXISTS (SELECT 1 FROM job_run AS r WHERE r.job_id = j.id)
    RETURNING j.id
),

added AS (
    INSERT INTO job_run (job_id)
    SELECT queued.id FROM queued
    RETURNING job_id
)

SELECT
    added.job_id,
    pg_notify('lamina_job_queue', added.job_id::text) AS notified
FROM added
