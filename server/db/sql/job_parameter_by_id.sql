-- One job parameter value (no row: none).
-- $1 job_parameter_id bigint
-- -> obj text (JobParameter object)
SELECT row_to_json(v)::text AS obj
FROM api_job_parameter AS v
WHERE v.id = $1
