-- Delete an abstract slice (its slice instances go with it). The store then runs
-- removed_cascade with slices (the slice instances, read before the cascade removes them).
-- $1 abstract_slice_id bigint
-- -> id bigint, slices bigint[] (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM abstract_slice WHERE id = $1
    RETURNING id
)

SELECT
    gone.id,
    array(SELECT s.id FROM slice_instance AS s WHERE s.base_slice_id = gone.id) AS slices
FROM gone
