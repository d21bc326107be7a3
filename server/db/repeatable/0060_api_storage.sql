CREATE VIEW api_storage AS
SELECT
    'be.cytomine.domain.image.server.Storage'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.user_id AS "user",
    s.user_id AS "userId"
FROM storage AS s;
