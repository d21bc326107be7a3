-- Set the value of a software parameter for a job (job_parameter_matches checks the pair).
-- $1 job_id bigint, $2 software_parameter_id bigint, $3 value text
-- -> id bigint
INSERT INTO job_parameter (job_id, software_parameter_id, value)
VALUES ($1, $2, $3)
RETURNING id
