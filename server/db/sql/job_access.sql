-- A job and the caller's rights on it (no row: no such job). Members of the job's project read
-- it; its launcher, its own user job, the project's managers and admins control it (status,
-- progress, parameters, execution, deletion).
-- $1 job_id bigint, $2 caller_id bigint, $3 caller_is_admin bool
-- -> obj text (Job object), project_id bigint, user_job_id bigint, can_read bool,
--    can_control bool, can_manage bool
SELECT
    row_to_json(v)::text AS obj,
    v.project AS project_id,
    uj.id AS user_job_id,
    $3 OR m.user_id IS NOT NULL AS can_read,
    $3 OR coalesce(m.is_manager, false) OR uj.user_id = $2 OR uj.id = $2 AS can_control,
    $3 OR coalesce(m.is_manager, false) AS can_manage
FROM api_job AS v
LEFT JOIN project_member AS m ON m.project_id = v.project AND m.user_id = $2
LEFT JOIN user_job AS uj ON uj.job_id = v.id
WHERE v.id = $1
