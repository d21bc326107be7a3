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
