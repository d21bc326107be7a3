-- Remove one term link by id (the last link of its pair takes it out of the overview).
-- $1 annotation_term_id bigint -> id bigint (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM annotation_term WHERE id = $1
    RETURNING id, annotation_id, term_id
),

unlinked AS (
    SELECT annotation_overview_links(
        array_agg(gone.annotation_id), array_agg(gone.term_id), array_agg(-1)
    )
    FROM gone
)

SELECT gone.id FROM gone, unlinked
