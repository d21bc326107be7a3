CREATE VIEW api_sec_role AS
SELECT
    'be.cytomine.domain.security.SecRole'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.authority
FROM sec_role AS r;
