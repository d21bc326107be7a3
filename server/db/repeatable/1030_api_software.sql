-- Software with its run counters (Cytomine's Software.numberOf*).
-- "executable": Lamina runs the execute command itself, so a command is all it needs
-- (Cytomine's router also wanted a pulling command for its container images).
CREATE VIEW api_software AS
SELECT
    'be.cytomine.processing.Software'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.software_user_repository_id AS "softwareUserRepository",
    s.default_processing_server_id AS "defaultProcessingServer",
    s.result_name AS "resultName",
    s.execute_command AS "executeCommand",
    s.pulling_command AS "pullingCommand",
    s.deprecated,
    s.software_version AS "softwareVersion",
    s.source_path AS "sourcePath",
    software_full_name(s.name, s.software_version) AS "fullName",
    coalesce(btrim(s.execute_command), '') <> '' AS executable,
    coalesce(
        (
            SELECT json_agg(p ORDER BY p.index, p.id)
            FROM api_software_parameter AS p
            WHERE p.software = s.id AND NOT p."setByServer"
        ),
        '[]'::json
    ) AS parameters,
    n.total AS "numberOfJob",
    n.not_launch AS "numberOfNotLaunch",
    n.in_queue AS "numberOfInQueue",
    n.running AS "numberOfRunning",
    n.success AS "numberOfSuccess",
    n.failed AS "numberOfFailed",
    n.indeterminate AS "numberOfIndeterminate",
    n.wait AS "numberOfWait",
    n.killed AS "numberOfKilled"
FROM software AS s
CROSS JOIN LATERAL (
    SELECT
        count(*) AS total,
        count(*) FILTER (WHERE j.status = 0) AS not_launch,
        count(*) FILTER (WHERE j.status = 1) AS in_queue,
        count(*) FILTER (WHERE j.status = 2) AS running,
        count(*) FILTER (WHERE j.status = 3) AS success,
        count(*) FILTER (WHERE j.status = 4) AS failed,
        count(*) FILTER (WHERE j.status = 5) AS indeterminate,
        count(*) FILTER (WHERE j.status = 6) AS wait,
        count(*) FILTER (WHERE j.status = 8) AS killed
    FROM job AS j
    WHERE j.software_id = s.id
) AS n;
