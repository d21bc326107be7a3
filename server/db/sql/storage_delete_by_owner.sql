-- Delete every storage a user owns (before the user is deleted).
-- $1 user_id bigint
DELETE FROM storage
WHERE user_id = $1
