-- Cytomine's ReviewedAnnotation JSON. The parent's class comes from the parent row while it
-- exists (a deleted parent was a user annotation unless it was a job's).
CREATE VIEW api_reviewed_annotation AS
SELECT
    'be.cytomine.domain.ontology.ReviewedAnnotation'::text AS "class",
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
    a.parent_id AS "parentIdent",
    CASE
        WHEN p.kind = 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END AS "parentClassName",
    coalesce(a.review_status, 1) AS status,
    a.reviewer_id AS "reviewUser",
    coalesce(t.terms, '{}') AS terms,
    s.url || '/api/reviewedannotation/' || a.id || '/crop.png' AS "cropURL",
    s.url || '/api/reviewedannotation/' || a.id || '/crop.png?maxSize=256' AS "smallCropURL",
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
    || '/annotation/' || a.id AS url,
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id AS "imageURL",
    true AS reviewed
FROM annotation AS a
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
LEFT JOIN annotation AS p ON p.id = a.parent_id
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
WHERE a.kind = 'reviewed';
