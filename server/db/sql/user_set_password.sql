-- Replace an account's password hash (the password no longer counts as expired).
-- $1 user_id bigint, $2 password_hash text
-- -> id
UPDATE sec_user
SET password_hash = $2, password_expired = false, updated = now()
WHERE id = $1
RETURNING id
