CREATE VIEW api_tag AS
SELECT
    'be.cytomine.domain.meta.Tag'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.user_id AS "user",
    u.username AS "creatorName"
FROM tag AS t
INNER JOIN sec_user AS u ON t.user_id = u.id;
