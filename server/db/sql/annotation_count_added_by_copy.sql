-- Count the annotations a bulk COPY inserted (all of kind user) into their projects and
-- images, in the COPY's transaction: the writer tallies its rows while it encodes them.
-- $1 project_ids bigint[], $2 image_ids bigint[], $3 counts integer[] (rows of each
-- (project, image) at the same position; pairs may repeat) -> nothing
SELECT annotation_count_change(
    array_agg(d.project_id), array_agg(d.image_id), array_agg('user'::text), 1
)
FROM unnest($1::bigint [], $2::bigint [], $3::integer []) AS d (project_id, image_id, n)
CROSS JOIN LATERAL generate_series(1, d.n) AS r (k)
