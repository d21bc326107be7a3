-- Blind mode hides filenames: the instance id stands in for them (blindedName).
CREATE VIEW api_image_instance AS
SELECT
    'be.cytomine.domain.image.ImageInstance'::text AS "class",
    i.id,
    epoch_ms(i.created) AS created,
    epoch_ms(i.updated) AS updated,
    i.base_image_id AS "baseImage",
    i.project_id AS project,
    i.user_id AS "user",
    CASE WHEN p.blind_mode THEN i.id::text
        ELSE coalesce(i.instance_filename, a.original_filename) END AS "instanceFilename",
    CASE WHEN p.blind_mode THEN i.id::text ELSE a.original_filename END AS "originalFilename",
    f.filename,
    CASE WHEN p.blind_mode THEN i.id::text END AS "blindedName",
    f.path,
    f.content_type AS "contentType",
    a.width,
    a.height,
    a.depth,
    a.duration,
    a.channels,
    a.extrinsic_channels AS "extrinsicChannels",
    coalesce(i.physical_size_x, a.physical_size_x) AS "physicalSizeX",
    coalesce(i.physical_size_y, a.physical_size_y) AS "physicalSizeY",
    coalesce(i.physical_size_z, a.physical_size_z) AS "physicalSizeZ",
    coalesce(i.fps, a.fps) AS fps,
    normalized_zoom(a.width, a.height) AS zoom,
    256 AS "tileSize",
    false AS "isVirtual",
    coalesce(i.magnification, a.magnification) AS magnification,
    a.bit_per_sample AS "bitPerSample",
    a.sample_per_pixel AS "samplePerPixel",
    a.colorspace,
    epoch_ms(i.review_start) AS "reviewStart",
    epoch_ms(i.review_stop) AS "reviewStop",
    i.review_user_id AS "reviewUser",
    i.review_stop IS NOT NULL AS reviewed,
    (i.review_start IS NOT NULL AND i.review_stop IS NULL) AS "inReview",
    i.count_annotations AS "numberOfAnnotations",
    i.count_job_annotations AS "numberOfJobAnnotations",
    i.count_reviewed_annotations AS "numberOfReviewedAnnotations",
    s.url || '/api/imageinstance/' || i.id || '/thumb.png?maxSize=512' AS thumb,
    s.url || '/api/imageinstance/' || i.id || '/preview.png?maxSize=1024' AS preview,
    CASE WHEN 'macro' = ANY(a.associated)
        THEN s.url || '/api/imageinstance/' || i.id || '/associated/macro.png?maxSize=512'
    END AS "macroURL"
FROM image_instance AS i
JOIN project AS p ON p.id = i.project_id
JOIN abstract_image AS a ON a.id = i.base_image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;
