-- Declare a member's layer shown or hidden by default (NULL when the user is no member).
-- $1 project_id bigint, $2 user_id bigint, $3 hide_by_default bool -> id
INSERT INTO project_default_layer (project_id, user_id, hide_by_default)
SELECT m.project_id, m.user_id, coalesce($3, false)
FROM project_member AS m
WHERE m.project_id = $1 AND m.user_id = $2
RETURNING id
