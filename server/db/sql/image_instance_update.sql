-- Change the editable fields of an image instance (NULL keeps a value).
-- $1 image_instance_id bigint, $2 instance_filename text, $3 physical_size_x float8,
-- $4 physical_size_y float8, $5 physical_size_z float8, $6 magnification int, $7 fps float8
UPDATE image_instance
SET
    instance_filename = coalesce($2, instance_filename),
    physical_size_x = coalesce($3, physical_size_x),
    physical_size_y = coalesce($4, physical_size_y),
    physical_size_z = coalesce($5, physical_size_z),
    magnification = coalesce($6, magnification),
    fps = coalesce($7, fps),
    updated = now()
WHERE id = $1
