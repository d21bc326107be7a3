-- Projects as the API shows them. Counters are stored on the project row (as Cytomine
-- does), so listing projects never counts images or annotations; they stay 0 until the
-- image and annotation tables maintain them.

ALTER TABLE project
    ADD COLUMN count_images bigint NOT NULL DEFAULT 0,
    ADD COLUMN count_annotations bigint NOT NULL DEFAULT 0,
    ADD COLUMN count_job_annotations bigint NOT NULL DEFAULT 0,
    ADD COLUMN count_reviewed_annotations bigint NOT NULL DEFAULT 0;

CREATE INDEX project_representative_user_user_idx ON project_representative_user (user_id);
CREATE INDEX project_default_layer_user_idx ON project_default_layer (user_id);

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

CREATE VIEW api_project_representative_user AS
SELECT
    'be.cytomine.domain.project.ProjectRepresentativeUser'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.project_id AS project,
    r.user_id AS "user"
FROM project_representative_user AS r;

CREATE VIEW api_project_default_layer AS
SELECT
    'be.cytomine.domain.project.ProjectDefaultLayer'::text AS "class",
    d.id,
    epoch_ms(d.created) AS created,
    epoch_ms(d.updated) AS updated,
    d.project_id AS project,
    d.user_id AS "user",
    d.hide_by_default AS "hideByDefault"
FROM project_default_layer AS d;
