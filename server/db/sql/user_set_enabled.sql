-- Lock (false) or unlock (true) an account.
-- $1 user_id bigint, $2 enabled bool
-- -> id
UPDATE sec_user
SET enabled = $2, updated = now()
WHERE id = $1
RETURNING id
