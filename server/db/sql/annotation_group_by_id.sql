-- One annotation group with its project and creator (no row: no such group).
-- $1 annotation_group_id bigint
-- -> obj text (AnnotationGroup object), project_id bigint, user_id bigint,
--    image_group_id bigint, type text
SELECT
    row_to_json(v)::text AS obj,
    ag.project_id,
    ag.user_id,
    ag.image_group_id,
    ag.type
FROM annotation_group AS ag
INNER JOIN api_annotation_group AS v ON ag.id = v.id
WHERE ag.id = $1
