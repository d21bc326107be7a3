-- Reopen a failed job of this user and key for a retried upload (nothing of it was kept).
-- $1 user_id bigint, $2 idempotency_key text, $3 image_id bigint, $4 project_id bigint,
-- $5 format text, $6 atomic bool -> id bigint (no row: the job is running or done)
UPDATE annotation_import
SET
    status = 'running', rows_read = 0, rows_loaded = 0, rows_rejected = 0, errors = '[]',
    message = NULL, finished = NULL, updated = now(), image_id = $3, project_id = $4,
    format = $5, atomic = $6, backend_pid = pg_backend_pid(), backend_start = session_started()
WHERE user_id = $1 AND idempotency_key = $2 AND status = 'failed'
RETURNING id
