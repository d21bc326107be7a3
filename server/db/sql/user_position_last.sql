-- The last position of a user on an image (access checked by the caller; no row: none).
-- $1 image_id bigint, $2 user_id bigint, $3 slice_id bigint (NULL: any), $4 broadcast_only bool
-- -> obj text (LastUserPosition object)
SELECT user_position_wire(
    'be.cytomine.domain.social.LastUserPosition', p.id, p.created, p.user_id, p.image_id,
    p.slice_id, p.project_id, p.zoom, p.rotation, p.broadcast, p.location, p.x, p.y
)::text AS obj
FROM last_user_position AS p
WHERE
    p.image_id = $1
    AND p.user_id = $2
    AND ($3::bigint IS NULL OR p.slice_id = $3)
    AND (NOT $4 OR p.broadcast)
ORDER BY p.created DESC, p.id DESC
LIMIT 1
