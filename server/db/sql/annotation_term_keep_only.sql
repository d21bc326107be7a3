-- Remove the term links of an annotation that are not in the given list.
-- $1 annotation_id bigint, $2 term_ids bigint[] -> nothing
-- (the pairs that lose their last link leave the overview)
WITH gone AS (
    DELETE FROM annotation_term WHERE annotation_id = $1 AND NOT (term_id = ANY($2))
    RETURNING annotation_id, term_id
)

SELECT annotation_overview_links(
    array_agg(gone.annotation_id), array_agg(gone.term_id), array_agg(-1)
)
FROM gone
