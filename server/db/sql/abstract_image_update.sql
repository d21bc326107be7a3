-- Change the editable optics of an abstract image (NULL keeps a value).
-- $1 abstract_image_id bigint, $2 physical_size_x float8, $3 physical_size_y float8,
-- $4 physical_size_z float8, $5 magnification int, $6 fps float8, $7 original_filename text
UPDATE abstract_image
SET
    physical_size_x = coalesce($2, physical_size_x),
    physical_size_y = coalesce($3, physical_size_y),
    physical_size_z = coalesce($4, physical_size_z),
    magnification = coalesce($5, magnification),
    fps = coalesce($6, fps),
    original_filename = coalesce($7, original_filename),
    updated = now()
WHERE id = $1
