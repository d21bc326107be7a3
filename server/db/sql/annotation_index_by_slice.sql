-- Per user on a slice: annotations drawn (user and job annotations) and annotations
-- validated (reviewed copies, counted for their reviewer), as Cytomine's AnnotationIndex.
-- $1 slice_id bigint, $2 viewer_id bigint, $3 viewer_is_admin bool
-- -> items text (JSON array of AnnotationIndex; NULL: none)
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
SELECT
    json_agg(
        json_build_object(
            'user', s.user_id,
            'slice', $1::bigint,
            'countAnnotation', s.drawn,
            'countReviewedAnnotation', s.validated
        )
        ORDER BY s.user_id
    )::text AS items
FROM (
    SELECT
        k.user_id,
        count(*) FILTER (WHERE NOT k.validated) AS drawn,
        count(*) FILTER (WHERE k.validated) AS validated
    FROM (
        SELECT
            CASE WHEN a.kind = 'reviewed' THEN a.reviewer_id ELSE a.user_id END AS user_id,
            a.kind = 'reviewed' AS validated
        FROM annotation AS a
        WHERE a.slice_id = $1 AND layer_visible(a.project_id, a.user_id, $2, $3)
    ) AS k
    GROUP BY k.user_id
) AS s
