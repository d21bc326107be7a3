CREATE VIEW api_relation_term AS
SELECT
    'be.cytomine.domain.ontology.RelationTerm'::text AS "class",
    rt.id,
    epoch_ms(rt.created) AS created,
    epoch_ms(rt.updated) AS updated,
    rt.relation_id AS relation,
    rt.term1_id AS term1,
    rt.term2_id AS term2
FROM relation_term AS rt;
