-- A new abstract slice (one channel/z/time plane of an abstract image).
-- $1 abstract_image_id bigint, $2 mime text, $3 channel int, $4 z_stack int, $5 time int,
-- $6 channel_name text, $7 channel_color text, $8 z_name text
-- -> id bigint
INSERT INTO abstract_slice (
    image_id, mime, channel, z_stack, "time", channel_name, channel_color, z_name
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id
