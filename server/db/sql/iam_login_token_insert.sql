-- Create a one-time login token for an account.
-- $1 token_hash text, $2 username text, $3 lifetime_seconds int -> user_id (none: unknown)
INSERT INTO iam_login_token (token_hash, user_id, expires)
SELECT $1, u.id, now() + make_interval(secs => $3)
FROM sec_user AS u
WHERE lower(u.username) = lower($2)
RETURNING user_id
