-- The plane (channel, z stack, time) of a slice instance's abstract slice. No permission check:
-- callers have opened the slice's image through the read check already.
-- $1 slice_instance_id bigint
-- -> channel int, z_stack int, time int
SELECT
    s.channel,
    s.z_stack,
    s."time"
FROM slice_instance AS si
JOIN abstract_slice AS s ON s.id = si.base_slice_id
WHERE si.id = $1
