-- One filter enabled in a project.
-- $1 image_filter_project_id bigint
-- -> json text (ImageFilterProject object), no row when missing
SELECT row_to_json(v)::text
FROM api_image_filter_project AS v
WHERE v.id = $1
