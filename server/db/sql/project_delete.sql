-- Delete a project; members, representatives, images, slices, tracks, jobs... go with it
-- (cascade). The store then runs removed_cascade with objects (the project, its images and
-- tracks, read before the cascade removes them) and projects (its annotations go).
-- $1 project_id bigint
-- -> id bigint, objects bigint[], projects bigint[]
WITH gone AS (
    DELETE FROM project
    WHERE id = $1
    RETURNING id
)

SELECT
    gone.id,
    array(SELECT i.id FROM image_instance AS i WHERE i.project_id = gone.id)
    || array(SELECT t.id FROM track AS t WHERE t.project_id = gone.id)
    || gone.id AS objects,
    ARRAY[gone.id] AS projects
FROM gone
