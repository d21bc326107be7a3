-- Let a user read a storage; an existing, higher permission is kept.
-- $1 storage_id bigint, $2 user_id bigint
INSERT INTO storage_member (storage_id, user_id, permission)
VALUES ($1, $2, 'READ')
ON CONFLICT (storage_id, user_id) DO NOTHING
