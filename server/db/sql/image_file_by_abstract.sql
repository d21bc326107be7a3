-- The stored file of an abstract image and whether the caller may read it (one row):
-- its storage, a project showing it, or bypass.
-- $1 abstract_image_id bigint, $2 user_id bigint, $3 bypass bool (admin or signed URL)
-- -> path text, width int, height int, version text, filename text,
--    original_path text (the file as uploaded: a converted image's original),
--    allowed bool,
--    downloadable bool (its storage, or a project showing it that allows downloads)
SELECT
    f.path,
    a.width,
    a.height,
    f.id::text || ':' || epoch_ms(coalesce(f.updated, f.created)) AS version,
    f.original_filename AS filename,
    coalesce(o.path, f.path) AS original_path,
    ($3 OR abstract_image_reachable(a.id, f.storage_id, $2, false)) AS allowed,
    ($3 OR abstract_image_reachable(a.id, f.storage_id, $2, true)) AS downloadable
FROM abstract_image AS a
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
LEFT JOIN uploaded_file AS o ON o.id = f.parent_id AND o.status = 104
WHERE a.id = $1
