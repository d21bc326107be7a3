-- Make a member a representative of a project (NULL when the user is no member).
-- $1 project_id bigint, $2 user_id bigint -> id
INSERT INTO project_representative_user (project_id, user_id)
SELECT m.project_id, m.user_id
FROM project_member AS m
WHERE m.project_id = $1 AND m.user_id = $2
RETURNING id
