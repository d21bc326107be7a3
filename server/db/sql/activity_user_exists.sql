-- Whether a user exists (activity lookups name users by id).
-- $1 user_id bigint
-- -> exists bool
SELECT EXISTS (SELECT 1 FROM sec_user AS u WHERE u.id = $1)
