-- User annotations of some users on an image that have no reviewed copy yet.
-- $1 image_id bigint, $2 user_ids bigint[] -> id bigint
SELECT a.id
FROM annotation AS a
WHERE
    a.image_id = $1
    AND a.user_id = ANY($2::bigint [])
    AND a.kind = 'user'
    AND NOT EXISTS (SELECT 1 FROM annotation AS r WHERE r.parent_id = a.id)
ORDER BY a.id
