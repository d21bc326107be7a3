-- Job counters of one software in one project. No job exists yet: the migration that adds
-- jobs replaces this statement with real counts.
-- $1 project_id bigint, $2 software_id bigint
-- -> one column per counter (bigint)
SELECT
    0::bigint AS "numberOfJob",
    0::bigint AS "numberOfNotLaunch",
    0::bigint AS "numberOfInQueue",
    0::bigint AS "numberOfRunning",
    0::bigint AS "numberOfSuccess",
    0::bigint AS "numberOfFailed",
    0::bigint AS "numberOfIndeterminate",
    0::bigint AS "numberOfWait"
WHERE $1::bigint IS NOT NULL AND $2::bigint IS NOT NULL
