CREATE VIEW api_image_filter AS
SELECT
    'be.cytomine.domain.processing.ImageFilter'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.name,
    f.method,
    f.available,
    '/filters/' || f.method || '&url=' AS "baseUrl"
FROM image_filter AS f;
