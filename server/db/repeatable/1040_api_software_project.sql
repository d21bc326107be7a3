CREATE VIEW api_software_project AS
SELECT
    'be.cytomine.processing.SoftwareProject'::text AS "class",
    sp.id,
    epoch_ms(sp.created) AS created,
    epoch_ms(sp.updated) AS updated,
    sp.software_id AS software,
    s.name,
    s."softwareVersion",
    s."fullName",
    s.deprecated,
    s.executable,
    sp.project_id AS project
FROM software_project AS sp
JOIN api_software AS s ON s.id = sp.software_id;
