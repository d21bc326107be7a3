-- Annotations created by these users.
-- $users bigint[]

($users IS NULL OR a.user_id = ANY($users))
