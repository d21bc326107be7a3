CREATE VIEW api_attached_file AS
SELECT
    'be.cytomine.domain.meta.AttachedFile'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.domain_ident AS "domainIdent",
    f.domain_class_name AS "domainClassName",
    '/api/attachedfile/' || f.id || '/download' AS url,
    f.filename,
    f.key
FROM attached_file AS f;
