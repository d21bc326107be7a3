-- A job as the runner routes answer it, and its project (no row: no such job).
-- $1 job_id bigint
-- -> obj text (Job object), project_id bigint
SELECT
    row_to_json(v)::text AS obj,
    v.project AS project_id
FROM api_job AS v
WHERE v.id = $1
