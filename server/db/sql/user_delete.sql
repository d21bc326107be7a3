-- Delete an account (its role links and memberships go with it).
-- $1 user_id bigint
-- -> id
DELETE FROM sec_user
WHERE id = $1
RETURNING id
