-- The abstract image of a slice and the projects whose slice instances use it.
-- $1 abstract_slice_id bigint -> image_id bigint, projects text[] (names; empty when unused)
SELECT
    s.image_id,
    ARRAY(
        SELECT DISTINCT p.name
        FROM slice_instance AS si
        JOIN project AS p ON p.id = si.project_id
        WHERE si.base_slice_id = s.id
        ORDER BY p.name
    ) AS projects
FROM abstract_slice AS s
WHERE s.id = $1
