-- Whether a user account exists.
-- $1 user_id bigint -> found bool
SELECT EXISTS (SELECT 1 FROM sec_user WHERE id = $1)
