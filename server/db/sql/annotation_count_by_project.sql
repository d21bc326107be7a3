-- Number of annotations of one kind in a project, created within optional bounds.
-- $1 project_id bigint, $2 kind text, $3 after timestamptz (NULL: none),
-- $4 before timestamptz (NULL: none) -> total bigint
SELECT count(*) AS total
FROM annotation AS a
WHERE
    a.project_id = $1
    AND a.kind = $2
    AND ($3::timestamptz IS NULL OR a.created >= $3)
    AND ($4::timestamptz IS NULL OR a.created <= $4)
