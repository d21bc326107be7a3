-- "projects" is built from the project table here (class, id, name, ontology and the
-- settings flags), not from the full project view, so it carries no computed counters.
CREATE VIEW api_ontology AS
SELECT
    'be.cytomine.domain.ontology.Ontology'::text AS "class",
    o.id,
    epoch_ms(o.created) AS created,
    epoch_ms(o.updated) AS updated,
    o.name,
    o.user_id AS "user",
    o.name AS title,
    json_build_object('id', o.id, 'type', 'be.cytomine.domain.ontology.Ontology') AS attr,
    o.name AS data,
    true AS "isFolder",
    o.id AS key,
    true AS "hideCheckbox",
    'open'::text AS state,
    (
        SELECT coalesce(json_agg(json_build_object(
            'class', 'be.cytomine.domain.project.Project',
            'id', p.id,
            'created', epoch_ms(p.created),
            'updated', epoch_ms(p.updated),
            'name', p.name,
            'ontology', p.ontology_id,
            'ontologyName', o.name,
            'blindMode', p.blind_mode,
            'areImagesDownloadable', p.are_images_downloadable,
            'isClosed', p.is_closed,
            'isReadOnly', p.is_read_only,
            'isRestricted', p.is_restricted,
            'hideUsersLayers', p.hide_users_layers,
            'hideAdminsLayers', p.hide_admins_layers
        ) ORDER BY p.id), '[]'::json)
        FROM project AS p
        WHERE p.ontology_id = o.id
    ) AS projects,
    term_tree(o.id, NULL) AS children
FROM ontology AS o;
