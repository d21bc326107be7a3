-- Move a job to a status when the life cycle allows it.
-- $1 job_id bigint, $2 status integer, $3 status_comment text
-- -> id bigint (no row: no move)
UPDATE job
SET status = $2, status_comment = $3, updated = now()
WHERE id = $1 AND status <> $2 AND job_status_allowed(status, $2)
RETURNING id
