-- API keys of the account owning a public key, when the caller may read them.
-- $1 public_key text, $2 caller_id bigint, $3 caller_is_admin boolean
-- -> id, public_key, private_key (none: unknown key or not allowed)
SELECT id, public_key, private_key
FROM sec_user
WHERE public_key = $1 AND ($3 OR id = $2)
