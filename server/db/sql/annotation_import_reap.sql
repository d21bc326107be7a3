-- Fail the running jobs whose importing session is gone: the server crashed or was killed
-- mid-import, so its load transaction rolled back and nothing of it was kept. The session is
-- known by pid and start time (a pid alone may be reused).
-- $1 user_id bigint (NULL: any), $2 idempotency_key text (NULL: any), $3 id bigint (NULL: any)
-- -> nothing
UPDATE annotation_import AS j
SET
    status = 'failed', rows_loaded = 0, finished = now(), updated = now(),
    message = 'The import was interrupted (its server session ended): nothing imported'
WHERE
    j.status = 'running'
    AND ($1::bigint IS NULL OR j.user_id = $1)
    AND ($2::text IS NULL OR j.idempotency_key = $2)
    AND ($3::bigint IS NULL OR j.id = $3)
    AND NOT EXISTS (
        SELECT 1 FROM pg_stat_activity AS a
        WHERE a.pid = j.backend_pid AND a.backend_start = j.backend_start
    )
