-- Delete one annotation of any kind (a reviewed copy of it stays, as Cytomine keeps it) and
-- count it out of its project and image. The store then runs removed_cascade with annotations
-- (its term links, group links, comments, properties... go).
-- $1 annotation_id bigint
-- -> id bigint, annotations bigint[] (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM annotation WHERE id = $1
    RETURNING id, project_id, image_id, user_id, kind, parent_id,
        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y
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

SELECT
    gone.id,
    ARRAY[gone.id] AS annotations
FROM gone, written
