-- The last connection of each user to a project, latest first. Callers who do not manage
-- the project only see their own.
-- $1 project_id bigint, $2 user_id bigint (NULL: every user), $3 viewer_id bigint,
-- $4 viewer_sees_all bool
-- -> json text (array of {user, created}; created in epoch milliseconds)
SELECT coalesce(json_agg(json_build_object('user', x.user_id, 'created', x.created)
    ORDER BY x.created DESC, x.user_id), '[]')::text
FROM (
    SELECT pc.user_id, floor(extract(EPOCH FROM max(pc.created)) * 1000)::bigint AS created
    FROM project_connection AS pc
    WHERE
        pc.project_id = $1
        AND ($2::bigint IS NULL OR pc.user_id = $2)
        AND ($4 OR pc.user_id = $3)
    GROUP BY pc.user_id
) AS x
