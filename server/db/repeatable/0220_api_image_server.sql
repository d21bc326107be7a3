CREATE VIEW api_image_server AS
SELECT
    'be.cytomine.middleware.ImageServer'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.url,
    s.base_path AS "basePath",
    s.available
FROM image_server AS s;
