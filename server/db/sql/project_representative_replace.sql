-- Make exactly the given members representatives (non-members are left out).
-- $1 project_id bigint, $2 user_ids bigint[] -> user_id (representatives after the change)
WITH gone AS (
    DELETE FROM project_representative_user
    WHERE project_id = $1 AND NOT (user_id = any($2::bigint []))
),

added AS (
    INSERT INTO project_representative_user (project_id, user_id)
    SELECT m.project_id, m.user_id
    FROM project_member AS m
    WHERE m.project_id = $1 AND m.user_id = any($2::bigint [])
    ON CONFLICT (project_id, user_id) DO NOTHING
)

SELECT m.user_id
FROM project_member AS m
WHERE m.project_id = $1 AND m.user_id = any($2::bigint [])
