CREATE VIEW api_image_filter_project AS
SELECT
    'be.cytomine.domain.processing.ImageFilterProject'::text AS "class",
    fp.id,
    epoch_ms(fp.created) AS created,
    epoch_ms(fp.updated) AS updated,
    fp.image_filter_id AS "imageFilter",
    fp.project_id AS project,
    '/filters/' || f.method || '&url=' AS "baseUrl",
    f.name,
    f.method,
    f.available
FROM image_filter_project AS fp
INNER JOIN image_filter AS f ON f.id = fp.image_filter_id;
