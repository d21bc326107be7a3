-- Credentials of an account by user name (case-insensitive).
-- $1 username text -> id, username, password_hash, enabled
SELECT id, username, password_hash, enabled
FROM sec_user
WHERE lower(username) = lower($1)
