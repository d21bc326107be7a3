-- One account by user name (case-insensitive), as the caller sees it.
-- $1 username text, $2 caller_id bigint, $3 caller_is_admin bool
-- -> json text (User object)
SELECT (
    to_jsonb(v)
    || CASE WHEN $3 OR v.id = $2 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
)::text
FROM api_user AS v
WHERE lower(v.username) = lower($1)
