-- Declare a file of a job (its bytes come later).
-- $1 job_id bigint, $2 key text, $3 filename text, $4 user_id bigint
-- -> id bigint
INSERT INTO job_data (job_id, key, filename, user_id)
VALUES ($1, $2, $3, $4)
RETURNING id
