-- Create the user job (the run's account) of a job launched by a user.
-- $1 job_id bigint, $2 launcher_id bigint
-- -> id bigint (the account)
SELECT user_job_create($1, $2) AS id
