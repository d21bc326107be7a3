CREATE VIEW api_companion_file AS
SELECT
    'be.cytomine.domain.image.CompanionFile'::text AS "class",
    cf.id,
    epoch_ms(cf.created) AS created,
    epoch_ms(cf.updated) AS updated,
    cf.uploaded_file_id AS "uploadedFile",
    f.path,
    cf.image_id AS image,
    cf.original_filename AS "originalFilename",
    cf.filename,
    cf.type,
    cf.progress,
    f.status,
    uploaded_file_status_text(f.status) AS "statusText"
FROM companion_file AS cf
LEFT JOIN uploaded_file AS f ON f.id = cf.uploaded_file_id;
