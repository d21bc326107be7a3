CREATE VIEW api_annotation_link AS
SELECT
    'be.cytomine.domain.ontology.AnnotationLink'::text AS "class",
    l.id,
    epoch_ms(l.created) AS created,
    epoch_ms(l.updated) AS updated,
    annotation_class(a.kind) AS "annotationClassName",
    l.annotation_id AS "annotationIdent",
    l.group_id AS "group",
    l.image_id AS image
FROM annotation_link AS l
INNER JOIN annotation AS a ON l.annotation_id = a.id;
