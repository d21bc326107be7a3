-- Put one term link back under its own id and user (nothing when the annotation or the term
-- is gone, or the same link exists again), checked (its user may be gone) and counted into
-- the overview (annotation_term_links_added).
-- $1 id bigint, $2 annotation_id bigint, $3 term_id bigint, $4 user_id bigint -> nothing
WITH added AS (
    INSERT INTO annotation_term (id, annotation_id, term_id, user_id, image_id, project_id, kind)
    SELECT $1, a.id, r.id, $4, a.image_id, a.project_id, a.kind
    FROM annotation AS a
    INNER JOIN term AS r ON r.id = $3
    WHERE a.id = $2
    ON CONFLICT DO NOTHING
    RETURNING image_id, annotation_id, term_id, user_id
),

written AS (
    SELECT annotation_term_links_added(
        array_agg(added.image_id), array_agg(added.annotation_id), array_agg(added.term_id),
        array_agg(added.user_id)
    )
    FROM added
)

SELECT FROM written
