-- Number of connections of each user to a project, most recently connected first. Callers
-- who do not manage the project only see their own.
-- $1 project_id bigint, $2 user_id bigint (NULL: every user), $3 viewer_id bigint,
-- $4 viewer_sees_all bool
-- -> json text (array of {user, frequency})
SELECT coalesce(json_agg(json_build_object('user', x.user_id, 'frequency', x.frequency)
    ORDER BY x.last DESC, x.user_id), '[]')::text
FROM (
    SELECT pc.user_id, count(*) AS frequency, max(pc.created) AS last
    FROM project_connection AS pc
    WHERE
        pc.project_id = $1
        AND ($2::bigint IS NULL OR pc.user_id = $2)
        AND ($4 OR pc.user_id = $3)
    GROUP BY pc.user_id
) AS x
