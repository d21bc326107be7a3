-- Remove accounts from a project, with their representative roles.
-- $1 project_id bigint, $2 user_ids bigint[] -> user_id (one row per removed member)
WITH gone AS (
    DELETE FROM project_member
    WHERE project_id = $1 AND user_id = any($2::bigint [])
    RETURNING user_id
),

unrepresented AS (
    DELETE FROM project_representative_user AS r
    USING gone
    WHERE r.project_id = $1 AND r.user_id = gone.user_id
)

SELECT user_id FROM gone
