CREATE VIEW api_software_user_repository AS
SELECT
    'be.cytomine.domain.processing.SoftwareUserRepository'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.provider,
    r.username,
    r.docker_username AS "dockerUsername",
    r.prefix
FROM software_user_repository AS r;
