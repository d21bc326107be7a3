CREATE VIEW api_uploaded_file AS
SELECT
    'be.cytomine.domain.image.UploadedFile'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.user_id AS "user",
    f.parent_id AS parent,
    f.storage_id AS storage,
    f.original_filename AS "originalFilename",
    f.filename,
    f.ext,
    f.content_type AS "contentType",
    f.size,
    f.path,
    false AS "isArchive",
    f.status,
    uploaded_file_status_text(f.status) AS "statusText",
    f.projects,
    (
        SELECT s.url || '/api/abstractimage/' || a.id || '/thumb.png'
        FROM abstract_image AS a
        CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
        WHERE a.uploaded_file_id = f.id
    ) AS "thumbnailUrl"
FROM uploaded_file AS f;
