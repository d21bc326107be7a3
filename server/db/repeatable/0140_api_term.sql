CREATE VIEW api_term AS
SELECT
    'be.cytomine.domain.ontology.Term'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.comment,
    t.ontology_id AS ontology,
    t.color,
    term_parent(t.id) AS parent
FROM term AS t;
