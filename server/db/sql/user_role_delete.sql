-- Remove a user-role link.
-- $1 user_id bigint, $2 role_id bigint
-- -> id
DELETE FROM sec_user_sec_role
WHERE user_id = $1 AND role_id = $2
RETURNING id
