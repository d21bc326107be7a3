CREATE VIEW api_annotation_group AS
SELECT
    'be.cytomine.domain.ontology.AnnotationGroup'::text AS "class",
    ag.id,
    epoch_ms(ag.created) AS created,
    epoch_ms(ag.updated) AS updated,
    ag.project_id AS project,
    ag.image_group_id AS "imageGroup",
    ag.type
FROM annotation_group AS ag;
