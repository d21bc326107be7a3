-- Put an abstract image into a project, with one slice instance per abstract slice, and count
-- one image more in the project.
-- $1 base_image_id bigint, $2 project_id bigint, $3 user_id bigint,
-- $4 instance_filename text (NULL = the image's original filename)
-- -> id bigint
WITH instance AS (
    INSERT INTO image_instance (base_image_id, project_id, user_id, instance_filename)
    VALUES ($1, $2, $3, $4)
    RETURNING id, project_id, base_image_id
),

slices AS (
    INSERT INTO slice_instance (project_id, base_slice_id, image_id)
    SELECT instance.project_id, s.id, instance.id
    FROM instance
    JOIN abstract_slice AS s ON s.image_id = instance.base_image_id
),

counted AS (
    UPDATE project AS p SET count_images = p.count_images + 1
    FROM instance
    WHERE p.id = instance.project_id
)

SELECT id FROM instance
