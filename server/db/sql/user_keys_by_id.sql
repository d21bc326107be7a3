-- API keys of an account the caller may read (admin or self).
-- $1 user_id bigint, $2 caller_id bigint, $3 caller_is_admin boolean
-- -> public_key, private_key
SELECT public_key, private_key
FROM sec_user
WHERE id = $1 AND ($3 OR id = $2)
