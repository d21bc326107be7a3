-- The account owning an API key, as the caller sees it.
-- $1 public_key text, $2 caller_id bigint, $3 caller_is_admin bool
-- -> json text (User object)
SELECT (
    to_jsonb(v)
    || CASE WHEN $3 OR v.id = $2 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
)::text
FROM api_user AS v
JOIN sec_user AS u ON u.id = v.id
WHERE u.public_key = $1
