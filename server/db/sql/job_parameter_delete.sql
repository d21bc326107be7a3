-- Delete a job parameter value.
-- $1 job_parameter_id bigint
DELETE FROM job_parameter WHERE id = $1
