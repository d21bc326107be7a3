-- Job counters of one software in one project.
-- $1 project_id bigint, $2 software_id bigint
-- -> one column per counter (bigint)
SELECT
    count(*) AS "numberOfJob",
    count(*) FILTER (WHERE j.status = 0) AS "numberOfNotLaunch",
    count(*) FILTER (WHERE j.status = 1) AS "numberOfInQueue",
    count(*) FILTER (WHERE j.status = 2) AS "numberOfRunning",
    count(*) FILTER (WHERE j.status = 3) AS "numberOfSuccess",
    count(*) FILTER (WHERE j.status = 4) AS "numberOfFailed",
    count(*) FILTER (WHERE j.status = 5) AS "numberOfIndeterminate",
    count(*) FILTER (WHERE j.status = 6) AS "numberOfWait"
FROM job AS j
WHERE j.project_id = $1 AND j.software_id = $2
