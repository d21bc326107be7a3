CREATE VIEW api_abstract_image AS
SELECT
    'be.cytomine.domain.image.AbstractImage'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    f.filename,
    a.original_filename AS "originalFilename",
    a.uploaded_file_id AS "uploadedFile",
    f.path,
    f.content_type AS "contentType",
    a.width,
    a.height,
    a.depth,
    a.duration,
    a.channels,
    a.extrinsic_channels AS "extrinsicChannels",
    CASE WHEN a.channels > 1 THEN 'XYC' ELSE 'XY' END
    || CASE WHEN a.depth > 1 THEN 'Z' ELSE '' END
    || CASE WHEN a.duration > 1 THEN 'T' ELSE '' END AS dimensions,
    a.extrinsic_channels AS "apparentChannels",
    a.physical_size_x AS "physicalSizeX",
    a.physical_size_y AS "physicalSizeY",
    a.physical_size_z AS "physicalSizeZ",
    a.fps,
    normalized_zoom(a.width, a.height) AS zoom,
    256 AS "tileSize",
    false AS "isVirtual",
    a.magnification,
    a.bit_per_sample AS "bitPerSample",
    a.sample_per_pixel AS "samplePerPixel",
    a.colorspace,
    s.url || '/api/abstractimage/' || a.id || '/thumb.png?maxSize=512' AS thumb,
    s.url || '/api/abstractimage/' || a.id || '/preview.png?maxSize=1024' AS preview,
    CASE WHEN 'macro' = ANY(a.associated)
        THEN s.url || '/api/abstractimage/' || a.id || '/associated/macro.png?maxSize=512'
    END AS "macroURL",
    NULL::boolean AS "inProject"
FROM abstract_image AS a
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;
