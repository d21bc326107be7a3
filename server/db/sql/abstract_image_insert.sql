-- The abstract image of an uploaded file, with one abstract slice per channel/z/t plane.
-- $1 uploaded_file_id bigint, $2 original_filename text, $3 width int, $4 height int,
-- $5 depth int, $6 duration int, $7 channels int, $8 extrinsic_channels int,
-- $9 physical_size_x float8, $10 physical_size_y float8, $11 magnification int,
-- $12 bit_per_sample int, $13 sample_per_pixel int, $14 colorspace text,
-- $15 native_tile_size int, $16 native_levels int, $17 associated text[],
-- $18 properties jsonb, $19 upload_properties jsonb, $20 channel_names text[], $21 mime text
-- -> id bigint
WITH image AS (
    INSERT INTO abstract_image (
        uploaded_file_id, original_filename, width, height, depth, duration, channels,
        extrinsic_channels, physical_size_x, physical_size_y, magnification, bit_per_sample,
        sample_per_pixel, colorspace, native_tile_size, native_levels, associated, properties,
        upload_properties
    )
    VALUES (
        $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
        $18::jsonb, $19::jsonb
    )
    RETURNING id
),

planes AS (
    INSERT INTO abstract_slice (image_id, channel, z_stack, "time", channel_name, mime)
    SELECT image.id, c, z, t, ($20::text [])[c + 1], $21
    FROM image,
        generate_series(0, $7 - 1) AS c,
        generate_series(0, $5 - 1) AS z,
        generate_series(0, $6 - 1) AS t
)

SELECT id FROM image
