-- Grant or drop the manager right of members.
-- $1 project_id bigint, $2 user_ids bigint[], $3 is_manager bool -> user_id (changed rows)
UPDATE project_member
SET is_manager = $3
WHERE project_id = $1 AND user_id = any($2::bigint [])
RETURNING user_id
