-- Cytomine's "previous" image: the earliest image of the same project added after this one
-- (created, then id, breaks ties). The caller's read right is checked before.
-- $1 image_instance_id bigint, $2 viewer_id bigint, $3 viewer_is_admin bool
-- -> obj text (ImageInstance object, its annotation count the one the viewer sees; no row:
--    none)
SELECT jsonb_set(
    to_jsonb(v),
    '{numberOfAnnotations}',
    to_jsonb(visible_annotation_count(v.project, v.id, v."numberOfAnnotations", $2, $3))
)::text AS obj
FROM image_instance AS cur
JOIN image_instance AS i ON i.project_id = cur.project_id
JOIN api_image_instance AS v ON v.id = i.id
WHERE cur.id = $1 AND (i.created, i.id) > (cur.created, cur.id)
ORDER BY i.created ASC, i.id ASC
LIMIT 1
