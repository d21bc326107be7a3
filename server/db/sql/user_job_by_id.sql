-- One user job as the caller sees it: members of its project read it; the keys are shown to
-- the account itself, its launcher and admins only (no row: none, or unreadable).
-- $1 user_job_id bigint, $2 caller_id bigint, $3 caller_is_admin bool
-- -> obj text (UserJob object), project_id bigint, can_read bool
SELECT
    (
        to_jsonb(v) - 'project'
        || CASE
            WHEN $3 OR v.id = $2 OR v."user" = $2 THEN '{}'::jsonb
            ELSE '{"publicKey": null, "privateKey": null}'::jsonb
        END
    )::text AS obj,
    v.project AS project_id,
    $3 OR EXISTS (
        SELECT 1 FROM project_member AS m
        WHERE m.project_id = v.project AND m.user_id = $2
    ) AS can_read
FROM api_user_job AS v
WHERE v.id = $1
