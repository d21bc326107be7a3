-- The slice of an image instance at channel/z/t; with NULLs, the reference plane
-- (Cytomine: first channel, middle z, first time point).
-- $1 image_instance_id bigint, $2 channel int, $3 z_stack int, $4 time int
-- -> obj text (SliceInstance object)
SELECT row_to_json(v)::text AS obj
FROM api_slice_instance AS v
JOIN image_instance AS i ON i.id = v.image
JOIN abstract_image AS a ON a.id = i.base_image_id
WHERE
    v.image = $1
    AND v.channel = coalesce($2, 0)
    AND v."zStack" = coalesce($3, a.depth / 2)
    AND v."time" = coalesce($4, 0)
