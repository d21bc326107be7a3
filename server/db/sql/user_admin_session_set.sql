-- Open or close the admin session of an account.
-- $1 user_id bigint, $2 open boolean -> rank, admin_session
UPDATE sec_user AS u
SET admin_session = $2
FROM user_rank AS r
WHERE u.id = $1 AND r.user_id = u.id
RETURNING r.rank, u.admin_session
