-- The final status of a job whose run has ended (its run row is gone, so nothing holds it). A
-- job that ends in SUCCESS is at 100 %.
-- $1 job_id bigint, $2 status integer, $3 status_comment text
-- -> status integer (no row: the life cycle refused the move, the job keeps its status)
UPDATE job
SET
    status = $2,
    status_comment = $3,
    progress = CASE WHEN $2 = 3 THEN 100 ELSE progress END,
    updated = now()
WHERE id = $1 AND (status = $2 OR job_status_allowed(status, $2))
RETURNING status
