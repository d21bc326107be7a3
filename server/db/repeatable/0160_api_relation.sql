CREATE VIEW api_relation AS
SELECT
    'be.cytomine.domain.ontology.Relation'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.name
FROM relation AS r;
