-- Keep only the given members of a project (a member list replaced by an update).
-- $1 project_id bigint, $2 kept_user_ids bigint[], $3 keep_managers bool
-- -> user_id (one row per removed member)
WITH gone AS (
    DELETE FROM project_member
    WHERE
        project_id = $1 AND NOT (user_id = any($2::bigint []))
        AND NOT ($3 AND is_manager)
    RETURNING user_id
),

unrepresented AS (
    DELETE FROM project_representative_user AS r
    USING gone
    WHERE r.project_id = $1 AND r.user_id = gone.user_id
)

SELECT user_id FROM gone
