-- The membership of one image in one image group (no row: the image is not in the group).
-- $1 image_group_id bigint, $2 image_id bigint
-- -> obj text (ImageGroupImageInstance object), id bigint
SELECT row_to_json(v)::text AS obj, v.id
FROM api_image_group_image_instance AS v
WHERE v."group" = $1 AND v.image = $2
