-- Delete a job: its parameter values and user job go with it, and the user job's account takes
-- its annotations along (user_job_removed).
-- $1 job_id bigint
DELETE FROM job WHERE id = $1
