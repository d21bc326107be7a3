-- Link one term to one annotation as a user; image, project and kind come from the
-- annotation. No row: the link already exists.
-- $1 annotation_id bigint, $2 term_id bigint, $3 user_id bigint -> obj text (AnnotationTerm)
WITH added AS (
    INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id, kind)
    SELECT a.id, $2, $3, a.image_id, a.project_id, a.kind
    FROM annotation AS a
    WHERE a.id = $1
    ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
    RETURNING id, created, annotation_id, term_id, user_id
)
SELECT
    json_build_object(
        'class', 'be.cytomine.domain.ontology.AnnotationTerm',
        'id', id,
        'created', epoch_ms(created),
        'updated', NULL,
        'userannotation', annotation_id,
        'term', term_id,
        'user', user_id
    )::text AS obj
FROM added
