-- Number of connections to a project, optionally between two instants.
-- $1 project_id bigint, $2 start timestamptz (NULL: open), $3 end timestamptz (NULL: open)
-- -> total bigint
SELECT count(*) AS total
FROM project_connection AS pc
WHERE
    pc.project_id = $1
    AND ($2::timestamptz IS NULL OR pc.created >= $2)
    AND ($3::timestamptz IS NULL OR pc.created <= $3)
