-- The rank of a slice instance in its image's planes, as Cytomine orders them
-- (channel + channels * (zStack + depth * time)); no row when the slice does not exist.
-- $1 slice_instance id bigint
-- -> rank bigint
SELECT (bs.channel + ai.channels * (bs.z_stack + ai.depth * bs."time"))::bigint AS rank
FROM slice_instance AS si
INNER JOIN abstract_slice AS bs ON si.base_slice_id = bs.id
INNER JOIN abstract_image AS ai ON bs.image_id = ai.id
WHERE si.id = $1
