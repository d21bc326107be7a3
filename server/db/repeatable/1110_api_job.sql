CREATE VIEW api_job AS
SELECT
    'be.cytomine.processing.Job'::text AS "class",
    j.id,
    epoch_ms(j.created) AS created,
    epoch_ms(j.updated) AS updated,
    'job'::text AS "algoType",
    j.progress,
    j.status,
    j.number,
    j.status_comment AS "statusComment",
    j.project_id AS project,
    j.processing_server_id AS "processingServer",
    j.software_id AS software,
    s.name AS "softwareName",
    s.software_version AS "softwareVersion",
    software_full_name(s.name, s.software_version) AS "softwareFullName",
    s.name || ' : ' || j.number AS name,
    j.rate,
    j.data_deleted AS "dataDeleted",
    j.favorite,
    u.username,
    uj.id AS "userJob",
    coalesce(
        (
            SELECT json_agg(p ORDER BY p.index, p.id)
            FROM api_job_parameter AS p
            WHERE p.job = j.id
        ),
        '[]'::json
    ) AS "jobParameters"
FROM job AS j
JOIN software AS s ON s.id = j.software_id
LEFT JOIN user_job AS uj ON uj.job_id = j.id
LEFT JOIN sec_user AS u ON u.id = uj.user_id;
