-- One image instance if the caller reads its project (or bypass for admins).
-- $1 image_instance_id bigint, $2 user_id bigint, $3 bypass bool
-- -> obj text (ImageInstance object), project_id bigint
SELECT row_to_json(v)::text AS obj, v.project AS project_id
FROM api_image_instance AS v
WHERE v.id = $1 AND ($3 OR project_readable(v.project, $2))
