-- Move a job to a status (queue, kill), with a comment; the life cycle check applies.
-- $1 job_id bigint, $2 status integer, $3 status_comment text
-- -> id bigint
UPDATE job SET status = $2, status_comment = $3, updated = now()
WHERE id = $1
RETURNING id
