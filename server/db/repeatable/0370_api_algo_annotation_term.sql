-- Cytomine's AlgoAnnotationTerm JSON (a job's term on an annotation, with its confidence).
CREATE VIEW api_algo_annotation_term AS
SELECT
    'be.cytomine.domain.ontology.AlgoAnnotationTerm'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    NULL::text AS updated,
    t.annotation_id AS "annotationIdent",
    CASE
        WHEN t.kind = 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END AS "annotationClassName",
    t.annotation_id AS annotation,
    t.term_id AS term,
    t.expected_term_id AS "expectedTerm",
    coalesce(t.rate, 1.0) AS rate,
    t.user_id AS "user",
    t.project_id AS project
FROM annotation_term AS t;
