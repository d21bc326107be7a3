-- One algo (job) annotation as Cytomine's JSON, with what permission checks need.
-- $1 annotation_id bigint -> obj text, project_id bigint, user_id bigint, image_id bigint
SELECT row_to_json(v)::text AS obj, v.project AS project_id, v."user" AS user_id, v.image AS image_id
FROM api_algo_annotation AS v
WHERE v.id = $1
