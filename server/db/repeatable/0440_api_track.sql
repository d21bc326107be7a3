CREATE VIEW api_track AS
SELECT
    'be.cytomine.domain.ontology.Track'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.color,
    t.image_id AS image,
    t.project_id AS project
FROM track AS t;
