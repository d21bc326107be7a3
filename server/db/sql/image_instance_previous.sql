-- Cytomine's "previous" image: the earliest image of the same project added after this one
-- (created, then id, breaks ties). The caller's read right is checked before.
-- $1 image_instance_id bigint -> obj text (ImageInstance object; no row: none)
SELECT row_to_json(v)::text AS obj
FROM image_instance AS cur
JOIN image_instance AS i ON i.project_id = cur.project_id
JOIN api_image_instance AS v ON v.id = i.id
WHERE cur.id = $1 AND (i.created, i.id) > (cur.created, cur.id)
ORDER BY i.created ASC, i.id ASC
LIMIT 1
