-- One image filter.
-- $1 image_filter_id bigint
-- -> json text (ImageFilter object), no row when missing
SELECT row_to_json(v)::text
FROM api_image_filter AS v
WHERE v.id = $1
