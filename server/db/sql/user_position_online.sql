-- Users whose last position on an image is less than 30 seconds old (Cytomine's window).
-- $1 image_id bigint, $2 slice_id bigint (NULL: any), $3 broadcast_only bool
-- -> users bigint[]
SELECT coalesce(array_agg(DISTINCT p.user_id ORDER BY p.user_id), '{}') AS users
FROM last_user_position AS p
WHERE
    p.image_id = $1
    AND p.created >= now() - interval '30 seconds'
    AND ($2::bigint IS NULL OR p.slice_id = $2)
    AND (NOT $3 OR p.broadcast)
