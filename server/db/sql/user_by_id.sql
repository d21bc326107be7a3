-- One account as the caller sees it (others' e-mail hidden unless the caller is an admin). A
-- user job also carries its keys and job for itself, its launcher and admins, as Cytomine
-- serves them (a client run switches to the job's keys read here).
-- $1 user_id bigint, $2 caller_id bigint, $3 caller_is_admin bool
-- -> json text (User object)
SELECT (
    to_jsonb(v)
    || CASE WHEN $3 OR v.id = $2 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
    || coalesce(
        (
            SELECT jsonb_build_object(
                'publicKey', j."publicKey", 'privateKey', j."privateKey", 'job', j.job
            )
            FROM api_user_job AS j
            WHERE j.id = v.id AND ($3 OR j.id = $2 OR j."user" = $2)
        ),
        '{}'::jsonb
    )
)::text
FROM api_user AS v
WHERE v.id = $1
