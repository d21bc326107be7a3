-- Number of annotations of one kind in a project, created within optional bounds.
-- $1 project_id bigint, $2 kind text, $3 after timestamptz (NULL: none),
-- $4 before timestamptz (NULL: none), $5 viewer_id bigint, $6 viewer_is_admin bool
-- -> total bigint
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
SELECT count(*) AS total
FROM annotation AS a
WHERE
    a.project_id = $1
    AND a.kind = $2
    AND layer_visible(a.project_id, a.user_id, $5, $6)
    AND ($3::timestamptz IS NULL OR a.created >= $3)
    AND ($4::timestamptz IS NULL OR a.created <= $4)
