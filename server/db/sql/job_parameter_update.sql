-- Change a job parameter value.
-- $1 job_parameter_id bigint, $2 value text
-- -> id bigint
UPDATE job_parameter SET value = $2, updated = now()
WHERE id = $1
RETURNING id
