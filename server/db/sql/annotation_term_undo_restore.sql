-- Make an annotation's term links exactly the given ones (ids, terms, users, times): links
-- not listed go, missing ones come back under their own id; the pairs (annotation, term) that
-- gain their first link or lose their last one count into or out of the overview. The links
-- put back are checked (annotation_term_parents: their users may be gone).
-- $1 annotation_id bigint, $2 ids bigint[], $3 term_ids bigint[], $4 user_ids bigint[],
-- $5 created text[] (ISO times) -> nothing
WITH wanted AS (
    SELECT w.id, w.term_id, w.user_id, w.created::timestamptz AS created
    FROM unnest($2::bigint [], $3::bigint [], $4::bigint [], $5::text []) AS w (
        id, term_id, user_id, created
    )
),

gone AS (
    DELETE FROM annotation_term AS t
    WHERE t.annotation_id = $1
        AND NOT EXISTS (
            SELECT 1 FROM wanted AS w WHERE w.term_id = t.term_id AND w.user_id = t.user_id
        )
    RETURNING t.annotation_id, t.term_id
),

added AS (
    INSERT INTO annotation_term (
        id, created, annotation_id, term_id, user_id, image_id, project_id, kind
    )
    SELECT w.id, w.created, a.id, w.term_id, w.user_id, a.image_id, a.project_id, a.kind
    FROM wanted AS w
    INNER JOIN annotation AS a ON a.id = $1
    INNER JOIN term AS r ON r.id = w.term_id
    ON CONFLICT DO NOTHING
    RETURNING image_id, annotation_id, term_id, user_id
),

checked AS (
    SELECT annotation_term_parents(
        array_agg(added.image_id), array_agg(added.annotation_id), array_agg(added.term_id),
        array_agg(added.user_id)
    )
    FROM added
),

linked AS (
    SELECT annotation_overview_links(
        array_agg(c.annotation_id), array_agg(c.term_id), array_agg(c.n)
    )
    FROM (
        SELECT gone.annotation_id, gone.term_id, -1 AS n FROM gone
        UNION ALL
        SELECT added.annotation_id, added.term_id, 1 FROM added
    ) AS c
)

SELECT FROM checked, linked
