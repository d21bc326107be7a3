CREATE VIEW api_property AS
SELECT
    'be.cytomine.domain.meta.Property'::text AS "class",
    p.id,
    epoch_ms(p.created) AS created,
    epoch_ms(p.updated) AS updated,
    p.domain_ident AS "domainIdent",
    p.domain_class_name AS "domainClassName",
    p.key,
    p.value
FROM property AS p;
