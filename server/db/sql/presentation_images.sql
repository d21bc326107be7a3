-- The canvases of a IIIF Presentation manifest: one image instance, or every image of a
-- project, with its size, file version (to sign its image service) and whether the caller
-- may read it. In blind mode only managers and admins see names.
-- $1 project_id bigint (NULL: by image), $2 image_instance_id bigint (NULL: every image of
-- the project), $3 user_id bigint, $4 bypass bool (admin)
-- -> id bigint, project_id bigint, name text (NULL when blind), width int, height int,
--    version text, allowed bool
SELECT
    i.id,
    i.project_id,
    CASE
        WHEN p.blind_mode AND NOT ($4 OR coalesce(m.is_manager, false)) THEN NULL
        ELSE coalesce(i.instance_filename, a.original_filename, f.original_filename)
    END AS name,
    a.width,
    a.height,
    f.id::text || ':' || epoch_ms(coalesce(f.updated, f.created)) AS version,
    ($4 OR m.user_id IS NOT NULL) AS allowed
FROM image_instance AS i
JOIN project AS p ON p.id = i.project_id
JOIN abstract_image AS a ON a.id = i.base_image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
LEFT JOIN project_member AS m ON m.project_id = i.project_id AND m.user_id = $3
WHERE
    ($1::bigint IS NULL OR i.project_id = $1)
    AND ($2::bigint IS NULL OR i.id = $2)
ORDER BY i.id
