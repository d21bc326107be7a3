CREATE VIEW api_annotation_track AS
SELECT
    'be.cytomine.domain.ontology.AnnotationTrack'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    NULL::text AS updated,
    a.annotation_id AS "annotationIdent",
    annotation_class(n.kind) AS "annotationClassName",
    a.track_id AS track,
    a.slice_id AS slice
FROM annotation_track AS a
INNER JOIN annotation AS n ON a.annotation_id = n.id;
