-- Refresh an abstract image's optics and vendor metadata from its file read again
-- (values the file does not give keep the current ones).
-- $1 abstract_image_id bigint, $2 physical_size_x float8, $3 physical_size_y float8,
-- $4 magnification int, $5 bit_per_sample int, $6 sample_per_pixel int, $7 colorspace text,
-- $8 properties jsonb (text)
-- -> nothing
UPDATE abstract_image SET
    physical_size_x = coalesce($2, physical_size_x),
    physical_size_y = coalesce($3, physical_size_y),
    magnification = coalesce($4, magnification),
    bit_per_sample = coalesce($5, bit_per_sample),
    sample_per_pixel = coalesce($6, sample_per_pixel),
    colorspace = coalesce($7, colorspace),
    properties = $8::jsonb,
    updated = now()
WHERE id = $1
