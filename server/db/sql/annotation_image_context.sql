-- What writing an annotation on an image needs: its project, size, resolution and the
-- reference slice (Cytomine: first channel, middle z, first time point). No row: no image.
-- $1 image_instance_id bigint
-- -> project_id bigint, width int, height int, resolution float8 (NULL: none),
--    reference_slice_id bigint
SELECT
    i.project_id,
    a.width,
    a.height,
    coalesce(i.physical_size_x, a.physical_size_x) AS resolution,
    (
        SELECT si.id
        FROM slice_instance AS si
        JOIN abstract_slice AS s ON s.id = si.base_slice_id
        WHERE si.image_id = i.id AND s.channel = 0 AND s.z_stack = a.depth / 2 AND s."time" = 0
        ORDER BY si.id
        LIMIT 1
    ) AS reference_slice_id
FROM image_instance AS i
JOIN abstract_image AS a ON a.id = i.base_image_id
WHERE i.id = $1
