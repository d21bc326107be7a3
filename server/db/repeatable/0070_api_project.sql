CREATE VIEW api_project AS
SELECT
    'be.cytomine.domain.project.Project'::text AS "class",
    p.id,
    epoch_ms(p.created) AS created,
    epoch_ms(p.updated) AS updated,
    p.name,
    p.ontology_id AS ontology,
    o.name AS "ontologyName",
    p.blind_mode AS "blindMode",
    p.are_images_downloadable AS "areImagesDownloadable",
    0::bigint AS "numberOfSlides",
    p.count_images AS "numberOfImages",
    p.count_annotations AS "numberOfAnnotations",
    p.count_job_annotations AS "numberOfJobAnnotations",
    p.count_reviewed_annotations AS "numberOfReviewedAnnotations",
    p.is_closed AS "isClosed",
    p.is_read_only AS "isReadOnly",
    p.is_restricted AS "isRestricted",
    p.hide_users_layers AS "hideUsersLayers",
    p.hide_admins_layers AS "hideAdminsLayers"
FROM project AS p
LEFT JOIN ontology AS o ON o.id = p.ontology_id;
