-- Number of annotation actions in a project, optionally between two instants and of one kind.
-- $1 project_id bigint, $2 start timestamptz (NULL: open), $3 end timestamptz (NULL: open),
-- $4 action text (NULL: any)
-- -> total bigint
SELECT count(*) AS total
FROM annotation_action AS a
WHERE
    a.project_id = $1
    AND ($2::timestamptz IS NULL OR a.created >= $2)
    AND ($3::timestamptz IS NULL OR a.created <= $3)
    AND ($4::text IS NULL OR a.action = $4)
