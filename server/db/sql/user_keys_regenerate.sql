-- Replace an account's API key pair.
-- $1 user_id bigint, $2 public_key text, $3 private_key text -> public_key, private_key
UPDATE sec_user
SET public_key = $2, private_key = $3, updated = now()
WHERE id = $1
RETURNING public_key, private_key
