CREATE VIEW api_configuration AS
SELECT
    'be.cytomine.domain.meta.Configuration'::text AS "class",
    c.id,
    epoch_ms(c.created) AS created,
    epoch_ms(c.updated) AS updated,
    c.key,
    c.value,
    c.reading_role AS "readingRole"
FROM configuration AS c;
