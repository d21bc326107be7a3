CREATE VIEW api_image_group_image_instance AS
SELECT
    'be.cytomine.domain.image.group.ImageGroupImageInstance'::text AS "class",
    gi.id,
    epoch_ms(gi.created) AS created,
    epoch_ms(gi.updated) AS updated,
    gi.image_id AS image,
    gi.group_id AS "group",
    g.name AS "groupName"
FROM image_group_image_instance AS gi
INNER JOIN image_group AS g ON gi.group_id = g.id;
