-- Members of a project with their activity: the last image they opened there, their last
-- connection to it and their number of connections.
-- $1 project_id bigint -> json text (array of {id, username, name, fullName, lastImageId,
-- lastImageName, lastConnection, frequency}, by id)
SELECT coalesce(json_agg(json_build_object(
    'id', v.id,
    'username', v.username,
    'name', v.name,
    'fullName', v."fullName",
    'lastImageId', li.image,
    'lastImageName', li."imageName",
    'lastConnection', epoch_ms(pc.last),
    'frequency', coalesce(pc.n, 0)
) ORDER BY v.id), '[]')::text
FROM api_user AS v
JOIN project_member AS m ON m.user_id = v.id
LEFT JOIN LATERAL (
    SELECT c.image, c."imageName"
    FROM api_image_consultation AS c
    WHERE c.project = $1 AND c.user = v.id
    ORDER BY c.created DESC, c.id DESC
    LIMIT 1
) AS li ON true
LEFT JOIN LATERAL (
    SELECT max(x.created) AS last, count(*) AS n
    FROM project_connection AS x
    WHERE x.project_id = $1 AND x.user_id = v.id
) AS pc ON true
WHERE m.project_id = $1
