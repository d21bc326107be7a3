CREATE VIEW api_slice_instance AS
SELECT
    'be.cytomine.domain.image.SliceInstance'::text AS "class",
    si.id,
    epoch_ms(si.created) AS created,
    epoch_ms(si.updated) AS updated,
    v."uploadedFile",
    si.project_id AS project,
    si.base_slice_id AS "baseSlice",
    si.image_id AS image,
    v.path,
    v.mime,
    v.channel,
    v."zStack",
    v."time",
    v.rank,
    v."channelName",
    v."channelColor",
    v."zName"
FROM slice_instance AS si
JOIN api_abstract_slice AS v ON v.id = si.base_slice_id;
