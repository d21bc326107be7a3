-- Cytomine's AlgoAnnotation JSON (annotations made by jobs), with nbComments.
CREATE VIEW api_algo_annotation AS
SELECT
    'be.cytomine.domain.ontology.AlgoAnnotation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.slice_id AS slice,
    a.image_id AS image,
    a.project_id AS project,
    a.user_id AS "user",
    st_astext(a.location) AS location,
    a.geometry_compression AS "geometryCompression",
    json_build_object('x', st_x(c.centroid), 'y', st_y(c.centroid)) AS centroid,
    a.area,
    a.area_unit AS "areaUnit",
    a.perimeter,
    a.perimeter_unit AS "perimeterUnit",
    coalesce(t.terms, '{}') AS term,
    a.comment_count AS "nbComments",
    s.url || '/api/algoannotation/' || a.id || '/crop.png' AS "cropURL",
    s.url || '/api/algoannotation/' || a.id || '/crop.png?maxSize=256' AS "smallCropURL",
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
    || '/annotation/' || a.id AS url,
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id AS "imageURL",
    a.reviewed,
    '{}'::bigint [] AS track
FROM annotation AS a
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
WHERE a.kind = 'algo';
