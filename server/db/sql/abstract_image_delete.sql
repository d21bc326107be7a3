-- Delete an abstract image and its slices (refused by the database while a project uses it).
-- The store then runs removed_cascade with objects (the image) and slices (instances of its
-- slices, read before the cascade removes them).
-- $1 abstract_image_id bigint
-- -> id bigint, objects bigint[], slices bigint[]
--    (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM abstract_image WHERE id = $1
    RETURNING id
)

SELECT
    gone.id,
    ARRAY[gone.id] AS objects,
    array(
        SELECT s.id FROM abstract_slice AS a
        JOIN slice_instance AS s ON s.base_slice_id = a.id
        WHERE a.image_id = gone.id
    ) AS slices
FROM gone
