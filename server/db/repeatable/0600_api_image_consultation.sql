-- Consultations of images, each naming its project connection.
CREATE VIEW api_image_consultation AS
SELECT
    'be.cytomine.domain.social.PersistentImageConsultation' AS class,
    c.id,
    epoch_ms(c.created) AS created,
    c.user_id AS "user",
    c.image_id AS image,
    coalesce(i.instance_filename, a.original_filename) AS "imageName",
    s.url || '/api/imageinstance/' || c.image_id || '/thumb.png?maxSize=512' AS "imageThumb",
    c.mode,
    c.project_id AS project,
    c.project_connection_id AS "projectConnection",
    c.time,
    c.count_created_annotations AS "countCreatedAnnotations"
FROM image_consultation AS c
JOIN image_instance AS i ON i.id = c.image_id
JOIN abstract_image AS a ON a.id = i.base_image_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;
