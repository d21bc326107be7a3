-- Share of connections falling in each hour of the day, day of the month or week of the
-- year (UTC) between two instants, optionally in one project and for one user.
-- $1 period text ('hour' | 'day' | 'week'), $2 after timestamptz, $3 before timestamptz,
-- $4 project_id bigint (NULL: any), $5 user_id bigint (NULL: any)
-- -> json text (array of {time, frequency}; time: the first matching period start in epoch
-- milliseconds, frequency: share of the connections, 0..1), by time
WITH picked AS (
    SELECT
        CASE $1
            WHEN 'day' THEN extract(DAY FROM pc.created AT TIME ZONE 'UTC')
            WHEN 'week' THEN extract(WEEK FROM pc.created AT TIME ZONE 'UTC')
            ELSE extract(HOUR FROM pc.created AT TIME ZONE 'UTC')
        END AS slot,
        date_trunc(
            CASE $1 WHEN 'day' THEN 'day' WHEN 'week' THEN 'week' ELSE 'hour' END,
            pc.created AT TIME ZONE 'UTC'
        ) AT TIME ZONE 'UTC' AS period_start
    FROM project_connection AS pc
    WHERE
        pc.created >= $2 AND pc.created <= $3
        AND ($4::bigint IS NULL OR pc.project_id = $4)
        AND ($5::bigint IS NULL OR pc.user_id = $5)
),
slots AS (
    SELECT min(p.period_start) AS period_start, count(*) AS n
    FROM picked AS p
    GROUP BY p.slot
)
SELECT coalesce(json_agg(json_build_object(
    'time', floor(extract(EPOCH FROM s.period_start) * 1000)::bigint,
    'frequency', s.n::double precision / (SELECT sum(n) FROM slots)
) ORDER BY s.period_start), '[]')::text
FROM slots AS s
