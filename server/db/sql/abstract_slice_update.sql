-- Change an abstract slice; NULL keeps a value.
-- $1 abstract_slice_id bigint, $2 abstract_image_id bigint, $3 mime text, $4 channel int,
-- $5 z_stack int, $6 time int, $7 channel_name text, $8 channel_color text, $9 z_name text
UPDATE abstract_slice
SET
    image_id = coalesce($2, image_id),
    mime = coalesce($3, mime),
    channel = coalesce($4, channel),
    z_stack = coalesce($5, z_stack),
    "time" = coalesce($6, "time"),
    channel_name = coalesce($7, channel_name),
    channel_color = coalesce($8, channel_color),
    z_name = coalesce($9, z_name),
    updated = now()
WHERE id = $1
