-- What dispatching and permission checks need about an annotation of any kind (no row: none).
-- $1 annotation_id bigint
-- -> kind text, project_id bigint, user_id bigint, image_id bigint, reviewer_id bigint
SELECT a.kind, a.project_id, a.user_id, a.image_id, a.reviewer_id
FROM annotation AS a
WHERE a.id = $1
