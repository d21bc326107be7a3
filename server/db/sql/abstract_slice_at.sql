-- The abstract slice of an abstract image at channel/z/time (read right checked before).
-- $1 abstract_image_id bigint, $2 channel int, $3 z_stack int, $4 time int
-- -> obj text (AbstractSlice object)
SELECT row_to_json(v)::text AS obj
FROM api_abstract_slice AS v
WHERE v.image = $1 AND v.channel = $2 AND v."zStack" = $3 AND v."time" = $4
