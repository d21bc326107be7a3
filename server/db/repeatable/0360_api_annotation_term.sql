-- Cytomine's AnnotationTerm JSON (a user's term on a user annotation).
CREATE VIEW api_annotation_term AS
SELECT
    'be.cytomine.domain.ontology.AnnotationTerm'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    NULL::text AS updated,
    t.annotation_id AS userannotation,
    t.term_id AS term,
    t.user_id AS "user"
FROM annotation_term AS t;
