CREATE VIEW api_project_representative_user AS
SELECT
    'be.cytomine.domain.project.ProjectRepresentativeUser'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.project_id AS project,
    r.user_id AS "user"
FROM project_representative_user AS r;
