CREATE VIEW api_image_group AS
SELECT
    'be.cytomine.domain.image.group.ImageGroup'::text AS "class",
    g.id,
    epoch_ms(g.created) AS created,
    epoch_ms(g.updated) AS updated,
    g.name,
    g.project_id AS project,
    coalesce(m.images, '[]'::json) AS "imageInstances",
    coalesce(m.n, 0) AS "numberOfImages"
FROM image_group AS g
LEFT JOIN LATERAL (
    SELECT
        count(*) AS n,
        json_agg(json_build_object(
            'id', v.id,
            'instanceFilename', v."instanceFilename",
            'thumb', v.thumb,
            'width', v.width,
            'height', v.height
        ) ORDER BY gi.id) AS images
    FROM image_group_image_instance AS gi
    INNER JOIN api_image_instance AS v ON gi.image_id = v.id
    WHERE gi.group_id = g.id
) AS m ON true;
