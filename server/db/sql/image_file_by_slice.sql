-- The stored file behind a slice instance and whether the caller may read it (one row).
-- $1 slice_instance_id bigint, $2 user_id bigint, $3 bypass bool (admin or signed URL)
-- -> path text, width int, height int, version text, filename text,
--    original_path text (the file as uploaded: a converted image's original),
--    allowed bool,
--    downloadable bool (the original file, for a caller with credentials)
SELECT
    f.path,
    a.width,
    a.height,
    f.id::text || ':' || epoch_ms(coalesce(f.updated, f.created)) AS version,
    f.original_filename AS filename,
    coalesce(o.path, f.path) AS original_path,
    ($3 OR project_readable(s.project_id, $2)) AS allowed,
    ($3 OR project_downloadable(s.project_id, $2)) AS downloadable
FROM slice_instance AS s
JOIN image_instance AS i ON i.id = s.image_id
JOIN abstract_image AS a ON a.id = i.base_image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
LEFT JOIN uploaded_file AS o ON o.id = f.parent_id AND o.status = 104
WHERE s.id = $1
