CREATE VIEW api_annotation_action AS
SELECT
    'be.cytomine.domain.social.AnnotationAction' AS class,
    a.id,
    epoch_ms(a.created) AS created,
    a.user_id AS "user",
    a.image_id AS image,
    a.slice_id AS slice,
    a.project_id AS project,
    a.action,
    a.annotation_id AS "annotationIdent",
    a.annotation_class_name AS "annotationClassName",
    a.annotation_creator_id AS "annotationCreator"
FROM annotation_action AS a;
