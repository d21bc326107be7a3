-- One slice instance if the caller reads its project (or bypass).
-- $1 slice_instance_id bigint, $2 user_id bigint, $3 bypass bool -> obj text (SliceInstance)
SELECT row_to_json(v)::text AS obj
FROM api_slice_instance AS v
WHERE v.id = $1 AND ($3 OR project_readable(v.project, $2))
