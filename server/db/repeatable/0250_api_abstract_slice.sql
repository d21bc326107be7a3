CREATE VIEW api_abstract_slice AS
SELECT
    'be.cytomine.domain.image.AbstractSlice'::text AS "class",
    sl.id,
    epoch_ms(sl.created) AS created,
    epoch_ms(sl.updated) AS updated,
    a.uploaded_file_id AS "uploadedFile",
    f.path,
    sl.image_id AS image,
    sl.mime,
    sl.channel,
    sl.z_stack AS "zStack",
    sl."time",
    sl.channel + a.channels * (sl.z_stack + a.depth * sl."time") AS rank,
    sl.channel_name AS "channelName",
    sl.channel_color AS "channelColor",
    sl.z_name AS "zName"
FROM abstract_slice AS sl
JOIN abstract_image AS a ON a.id = sl.image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id;
