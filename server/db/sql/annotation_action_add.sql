-- Record what the caller did with an annotation of any kind.
-- $1 annotation_id bigint, $2 user_id bigint, $3 is_admin bool, $4 action text
-- -> readable bool, project_id bigint, obj text (AnnotationAction object; NULL when not readable).
--    No row: no annotation.
WITH target AS (
    SELECT a.*, ($3 OR project_readable(a.project_id, $2)) AS readable
    FROM annotation AS a
    WHERE a.id = $1
),
added AS (
    INSERT INTO annotation_action (
        user_id, image_id, slice_id, project_id, action, annotation_id,
        annotation_class_name, annotation_creator_id
    )
    SELECT $2, t.image_id, t.slice_id, t.project_id, $4, t.id, annotation_class(t.kind), t.user_id
    FROM target AS t
    WHERE t.readable
    RETURNING *
)
SELECT
    t.readable,
    t.project_id,
    CASE WHEN a.id IS NOT NULL THEN json_build_object(
        'class', 'be.cytomine.domain.social.AnnotationAction',
        'id', a.id,
        'created', epoch_ms(a.created),
        'user', a.user_id,
        'image', a.image_id,
        'slice', a.slice_id,
        'project', a.project_id,
        'action', a.action,
        'annotationIdent', a.annotation_id,
        'annotationClassName', a.annotation_class_name,
        'annotationCreator', a.annotation_creator_id
    )::text END AS obj
FROM target AS t
LEFT JOIN added AS a ON true
