-- Delete an account (its role links and memberships go with it). The store then runs
-- removed_cascade with users, which refuses while annotations or term links name it.
-- $1 user_id bigint
-- -> id, users bigint[]
DELETE FROM sec_user
WHERE id = $1
RETURNING id, ARRAY[id] AS users
