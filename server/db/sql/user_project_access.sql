-- Whether a project exists and whether a user is one of its members.
-- $1 project_id bigint, $2 user_id bigint
-- -> is_member bool (no row when the project does not exist)
SELECT EXISTS (
    SELECT 1 FROM project_member AS m
    WHERE m.project_id = p.id AND m.user_id = $2
) AS is_member
FROM project AS p
WHERE p.id = $1
