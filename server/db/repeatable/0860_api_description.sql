CREATE VIEW api_description AS
SELECT
    'be.cytomine.domain.meta.Description'::text AS "class",
    d.id,
    epoch_ms(d.created) AS created,
    epoch_ms(d.updated) AS updated,
    d.domain_ident AS "domainIdent",
    d.domain_class_name AS "domainClassName",
    d.data
FROM description AS d;
