-- Count new annotations (all of kind user) into their projects and images, as the last
-- statement of the transaction that wrote them: the counter rows it updates stay locked until
-- the commit, so concurrent writers of one image or project wait on each other only for that
-- round trip. The writer tallies its rows (array INSERTs and the bulk COPY alike); each
-- (project, image) moves by its number of rows at once, in one call of annotation_count_change
-- (a bulk write is one or a few calls, whatever its rows).
-- $1 project_ids bigint[], $2 image_ids bigint[], $3 counts integer[] (rows of each
-- (project, image) at the same position; pairs may repeat) -> nothing
SELECT annotation_count_change(ARRAY[d.project_id], ARRAY[d.image_id], ARRAY['user'], d.n)
FROM unnest($1::bigint [], $2::bigint [], $3::integer []) AS d (project_id, image_id, n)
