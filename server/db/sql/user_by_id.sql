-- One account as the caller sees it (others' e-mail hidden unless the caller is an admin).
-- $1 user_id bigint, $2 caller_id bigint, $3 caller_is_admin bool
-- -> json text (User object)
SELECT (
    to_jsonb(v)
    || CASE WHEN $3 OR v.id = $2 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
)::text
FROM api_user AS v
WHERE v.id = $1
