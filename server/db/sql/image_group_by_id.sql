-- One image group with its project and creator (no row: no such group).
-- $1 image_group_id bigint
-- -> obj text (ImageGroup object), project_id bigint, user_id bigint
SELECT
    row_to_json(v)::text AS obj,
    g.project_id,
    g.user_id
FROM image_group AS g
INNER JOIN api_image_group AS v ON g.id = v.id
WHERE g.id = $1
