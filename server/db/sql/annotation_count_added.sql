-- Count new annotations (all of kind user) into their projects and images, as the last
-- statement of the transaction that wrote them: the counter rows it updates stay locked until
-- the commit, so concurrent writers of one image or project wait on each other only for that
-- round trip. The writer tallies its rows (array INSERTs and the bulk COPY alike).
-- $1 project_ids bigint[], $2 image_ids bigint[], $3 counts integer[] (rows of each
-- (project, image) at the same position; pairs may repeat) -> nothing
SELECT annotation_count_change(
    array_agg(d.project_id), array_agg(d.image_id), array_agg('user'::text), 1
)
FROM unnest($1::bigint [], $2::bigint [], $3::integer []) AS d (project_id, image_id, n)
CROSS JOIN LATERAL generate_series(1, d.n) AS r (k)
