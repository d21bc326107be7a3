-- One image instance if the caller reads its project (or bypass for admins); its annotation
-- count is the one the caller sees (visible_annotation_count: hidden layers left out).
-- $1 image_instance_id bigint, $2 user_id bigint, $3 bypass bool
-- -> obj text (ImageInstance object), project_id bigint
SELECT
    jsonb_set(
        to_jsonb(v),
        '{numberOfAnnotations}',
        to_jsonb(visible_annotation_count(v.project, v.id, v."numberOfAnnotations", $2, $3))
    )::text AS obj,
    v.project AS project_id
FROM api_image_instance AS v
WHERE v.id = $1 AND ($3 OR project_readable(v.project, $2))
