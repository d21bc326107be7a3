-- Slices to copy an annotation onto: the image's slices from a start slice on, in
-- (time, z, channel) order, without the annotation's own slice.
-- $1 image_id bigint, $2 start_slice_id bigint, $3 own_slice_id bigint, $4 limit bigint
-- -> slice_id bigint (no rows: the start slice is not a slice of the image)
SELECT si.id AS slice_id
FROM slice_instance AS si
JOIN abstract_slice AS s ON s.id = si.base_slice_id
CROSS JOIN (
    SELECT s0."time", s0.z_stack, s0.channel
    FROM slice_instance AS si0
    JOIN abstract_slice AS s0 ON s0.id = si0.base_slice_id
    WHERE si0.id = $2 AND si0.image_id = $1
) AS start
WHERE
    si.image_id = $1
    AND si.id <> $3
    AND (s."time", s.z_stack, s.channel) >= (start."time", start.z_stack, start.channel)
ORDER BY s."time", s.z_stack, s.channel, si.id
LIMIT $4
