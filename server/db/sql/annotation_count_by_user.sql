-- Number of user annotations a user drew, in one project or every project the caller reads.
-- $1 owner_id bigint, $2 project_id bigint (NULL: all), $3 caller_id bigint, $4 bypass bool
-- -> total bigint
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
SELECT count(*) AS total
FROM annotation AS a
WHERE
    a.user_id = $1
    AND a.kind = 'user'
    AND ($2::bigint IS NULL OR a.project_id = $2)
    AND ($4 OR project_readable(a.project_id, $3))
    AND layer_visible(a.project_id, a.user_id, $3, $4)
