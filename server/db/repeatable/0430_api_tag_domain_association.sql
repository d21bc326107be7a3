CREATE VIEW api_tag_domain_association AS
SELECT
    'be.cytomine.domain.meta.TagDomainAssociation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    NULL::text AS updated,
    a.domain_ident AS "domainIdent",
    a.domain_class_name AS "domainClassName",
    a.tag_id AS tag,
    t.name AS "tagName"
FROM tag_domain_association AS a
INNER JOIN tag AS t ON a.tag_id = t.id;
