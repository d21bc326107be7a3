-- Members of a project with their activity (no activity is recorded yet: empty values).
-- $1 project_id bigint -> json text (array of {id, username, name, fullName, lastImageId,
-- lastImageName, lastConnection, frequency}, by id)
SELECT coalesce(json_agg(json_build_object(
    'id', v.id,
    'username', v.username,
    'name', v.name,
    'fullName', v."fullName",
    'lastImageId', null,
    'lastImageName', null,
    'lastConnection', null,
    'frequency', 0
) ORDER BY v.id), '[]')::text
FROM api_user AS v
JOIN project_member AS m ON m.user_id = v.id
WHERE m.project_id = $1
