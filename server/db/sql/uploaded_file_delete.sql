-- Delete an uploaded file and what was derived from it (its child files, abstract images,
-- slices...). The store then runs removed_cascade with objects (the abstract images of the
-- file and its descendants) and slices (instances of their slices), read before the cascade
-- removes them.
-- $1 uploaded_file_id bigint
-- -> id bigint, path text (relative path of the deleted file), objects bigint[],
--    slices bigint[]; no row: a concurrent request deleted it first
WITH RECURSIVE tree AS (
    SELECT f.id FROM uploaded_file AS f WHERE f.id = $1
    UNION ALL
    SELECT f.id FROM uploaded_file AS f JOIN tree AS t ON f.parent_id = t.id
),

gone AS (
    DELETE FROM uploaded_file WHERE id = $1
    RETURNING id, path
),

images AS (
    SELECT g.id FROM abstract_image AS g
    WHERE g.uploaded_file_id IN (SELECT tree.id FROM tree)
)

SELECT
    gone.id,
    gone.path,
    array(SELECT images.id FROM images) AS objects,
    array(
        SELECT s.id FROM abstract_slice AS a
        JOIN slice_instance AS s ON s.base_slice_id = a.id
        WHERE a.image_id IN (SELECT images.id FROM images)
    ) AS slices
FROM gone
