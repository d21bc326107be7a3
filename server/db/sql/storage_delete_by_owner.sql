-- Delete every storage a user owns (before the user is deleted). The store then runs
-- removed_cascade with objects.
-- $1 user_id bigint
-- -> objects bigint[] (NULL: none)
WITH gone AS (
    DELETE FROM storage
    WHERE user_id = $1
    RETURNING id
)

SELECT array_agg(gone.id) AS objects FROM gone
