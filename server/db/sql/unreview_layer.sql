-- Remove the reviewed copies of the user annotations of some users on an image, and count them
-- out of their project and image.
-- $1 image_id bigint, $2 user_ids bigint[] -> id bigint (each deleted reviewed annotation)
-- (the store then runs removed_cascade with them)
WITH gone AS (
    DELETE FROM annotation AS r
    USING annotation AS a
    WHERE
        r.parent_id = a.id
        AND r.kind = 'reviewed'
        AND a.image_id = $1
        AND a.user_id = ANY($2::bigint [])
        AND a.kind = 'user'
    RETURNING r.id, r.project_id, r.image_id, r.user_id, r.kind, r.parent_id,
        annotation_overview_x(r.location) AS x, annotation_overview_y(r.location) AS y
),

written AS (
    SELECT annotation_rows_written(
        array_agg(gone.id), array_agg(gone.project_id), array_agg(gone.image_id),
        array_agg(gone.user_id), array_agg(gone.kind), array_agg(gone.parent_id),
        array_agg(gone.x), array_agg(gone.y),
        -1
    )
    FROM gone
)

SELECT gone.id FROM gone, written
