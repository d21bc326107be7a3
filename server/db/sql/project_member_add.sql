-- Add existing accounts to a project; a manager added again as contributor stays manager.
-- $1 project_id bigint, $2 user_ids bigint[], $3 as_manager bool
-- -> user_id (one row per existing account)
INSERT INTO project_member (project_id, user_id, is_manager)
SELECT $1, u.id, $3
FROM sec_user AS u
WHERE u.id = any($2::bigint [])
ON CONFLICT (project_id, user_id)
DO UPDATE SET is_manager = project_member.is_manager OR excluded.is_manager
RETURNING user_id
