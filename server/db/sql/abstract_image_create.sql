-- A new abstract image for an uploaded file (its slices are created separately).
-- $1 uploaded_file_id bigint, $2 original_filename text, $3 width int, $4 height int,
-- $5 depth int, $6 duration int, $7 channels int, $8 physical_size_x float8,
-- $9 physical_size_y float8, $10 physical_size_z float8, $11 fps float8,
-- $12 magnification int, $13 bit_per_sample int, $14 sample_per_pixel int, $15 colorspace text
-- -> id bigint
INSERT INTO abstract_image (
    uploaded_file_id, original_filename, width, height, depth, duration, channels,
    extrinsic_channels, physical_size_x, physical_size_y, physical_size_z, fps,
    magnification, bit_per_sample, sample_per_pixel, colorspace
)
VALUES (
    $1, $2, $3, $4, $5, $6, $7, $7 * coalesce($14, 1), $8, $9, $10, $11, $12, $13, $14, $15
)
RETURNING id
