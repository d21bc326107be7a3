-- Give reviewed annotations the terms of their parents (every user's), as the reviewer's
-- (annotation_overview_links counts the links of user annotations only); the links are
-- checked (annotation_term_links_added: a term may be deleted meanwhile).
-- $1 reviewed_ids bigint[], $2 reviewer_id bigint -> nothing
WITH added AS (
    INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id, kind)
    SELECT DISTINCT r.id, t.term_id, $2::bigint, r.image_id, r.project_id, 'reviewed'
    FROM annotation AS r
    JOIN annotation_term AS t ON t.annotation_id = r.parent_id
    WHERE r.id = ANY($1::bigint [])
    ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
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
