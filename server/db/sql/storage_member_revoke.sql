-- Take a user's access to a storage away.
-- $1 storage_id bigint, $2 user_id bigint
DELETE FROM storage_member
WHERE storage_id = $1 AND user_id = $2
