-- The plane (channel, z stack, time) of an abstract slice. No permission check: callers have
-- opened the slice's image through the read check already.
-- $1 abstract_slice_id bigint
-- -> channel int, z_stack int, time int
SELECT
    s.channel,
    s.z_stack,
    s."time"
FROM abstract_slice AS s
WHERE s.id = $1
