-- Delete one annotation of any kind (a reviewed copy of it stays, as Cytomine keeps it) and
-- count it out of its project and image. The store then runs removed_cascade with annotations
-- (its term links, group links, comments, properties... go).
-- $1 annotation_id bigint
-- -> id bigint, annotations bigint[] (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM annotation WHERE id = $1
    RETURNING id, project_id, image_id, kind
),

counted AS (
    SELECT annotation_count_change(
        array_agg(gone.project_id), array_agg(gone.image_id), array_agg(gone.kind), -1
    )
    FROM gone
)

SELECT
    gone.id,
    ARRAY[gone.id] AS annotations
FROM gone, counted
