-- Make exactly the given members managers (a manager list replaced by an update).
-- $1 project_id bigint, $2 manager_ids bigint[]
UPDATE project_member
SET is_manager = (user_id = any($2::bigint []))
WHERE project_id = $1 AND is_manager IS DISTINCT FROM (user_id = any($2::bigint []))
