-- One companion file if the caller may read its abstract image (storage, project or admin).
-- $1 companion_file_id bigint, $2 user_id bigint, $3 bypass bool
-- -> obj text (CompanionFile object), allowed bool, storage_id bigint (image's storage),
--    uploader_id bigint (user of its uploaded file, or NULL), downloadable bool (its storage,
--    or a project showing the image that allows downloads: a companion file holds the
--    image's data)
SELECT
    row_to_json(v)::text AS obj,
    (
        $3
        OR storage_readable(f.storage_id, $2)
        OR EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = v.image AND project_readable(i.project_id, $2)
        )
    ) AS allowed,
    ($3 OR abstract_image_reachable(a.id, f.storage_id, $2, true)) AS downloadable,
    f.storage_id,
    cu.user_id AS uploader_id
FROM api_companion_file AS v
JOIN abstract_image AS a ON a.id = v.image
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
LEFT JOIN uploaded_file AS cu ON cu.id = v."uploadedFile"
WHERE v.id = $1
