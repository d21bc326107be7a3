-- Link one term to one annotation as a user; image, project and kind come from the
-- annotation; its references are checked and a first link of the pair counts into the
-- overview (annotation_term_links_added). No row: the link already exists (or the annotation
-- is gone).
-- $1 annotation_id bigint, $2 term_id bigint, $3 user_id bigint -> obj text (AnnotationTerm)
WITH added AS (
    INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id, kind)
    SELECT a.id, $2, $3, a.image_id, a.project_id, a.kind
    FROM annotation AS a
    WHERE a.id = $1
    ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
    RETURNING id, created, image_id, annotation_id, term_id, user_id
),

written AS (
    SELECT annotation_term_links_added(
        array_agg(added.image_id), array_agg(added.annotation_id), array_agg(added.term_id),
        array_agg(added.user_id)
    )
    FROM added
)

SELECT
    json_build_object(
        'class', 'be.cytomine.domain.ontology.AnnotationTerm',
        'id', added.id,
        'created', epoch_ms(added.created),
        'updated', NULL,
        'userannotation', added.annotation_id,
        'term', added.term_id,
        'user', added.user_id
    )::text AS obj
FROM added, written
