-- The job as clients poll it (wire names).
CREATE VIEW api_annotation_import AS
SELECT
    'be.cytomine.domain.ontology.AnnotationImport'::text AS "class",
    j.id,
    epoch_ms(j.created) AS created,
    epoch_ms(j.updated) AS updated,
    epoch_ms(j.finished) AS finished,
    j.user_id AS "user",
    j.image_id AS image,
    j.project_id AS project,
    j.idempotency_key AS "idempotencyKey",
    j.format,
    j.atomic,
    j.status,
    j.rows_read AS "rowsRead",
    j.rows_loaded AS "rowsLoaded",
    j.rows_rejected AS "rowsRejected",
    j.errors,
    j.message,
    j.unmatched_classes AS "unmatchedClasses"
FROM annotation_import AS j;
