-- What a track link needs to know of an annotation (no row: no such annotation).
-- $1 annotation_id bigint
-- -> project_id, user_id, image_id bigint
SELECT a.project_id, a.user_id, a.image_id
FROM annotation AS a
WHERE a.id = $1
