-- Remove an image instance from its project (its slice instances and tracks go with it) and
-- count one image less in the project. The store then runs removed_cascade with objects (the
-- image and its tracks, read before the cascade removes them) and images (its annotations go).
-- $1 image_instance_id bigint
-- -> id bigint, objects bigint[], images bigint[]
--    (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM image_instance WHERE id = $1
    RETURNING id, project_id
),

counted AS (
    UPDATE project AS p SET count_images = p.count_images - 1
    FROM gone
    WHERE p.id = gone.project_id
)

SELECT
    gone.id,
    array(SELECT t.id FROM track AS t WHERE t.image_id = gone.id) || gone.id AS objects,
    ARRAY[gone.id] AS images
FROM gone
