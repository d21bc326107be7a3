-- One image server.
-- $1 image_server_id bigint -> obj text (ImageServer object)
SELECT row_to_json(v)::text AS obj FROM api_image_server AS v WHERE v.id = $1
