-- Number of connections per hour, day or week (UTC; weeks start on Sunday as in Cytomine),
-- optionally in one project and for one user, oldest period first.
-- $1 period text ('hour' | 'day' | 'week'), $2 after timestamptz (NULL: open),
-- $3 before timestamptz, $4 project_id bigint (NULL: any), $5 user_id bigint (NULL: any)
-- -> json text (array of {time, frequency}; time: start of the period in epoch milliseconds)
SELECT coalesce(json_agg(json_build_object(
    'time', floor(extract(EPOCH FROM x.period_start) * 1000)::bigint, 'frequency', x.frequency
) ORDER BY x.period_start), '[]')::text
FROM (
    SELECT
        CASE $1
            WHEN 'week' THEN
                date_trunc('week', (pc.created AT TIME ZONE 'UTC') + interval '1 day')
                - interval '1 day'
            ELSE date_trunc($1, pc.created AT TIME ZONE 'UTC')
        END AT TIME ZONE 'UTC' AS period_start,
        count(*) AS frequency
    FROM project_connection AS pc
    WHERE
        ($2::timestamptz IS NULL OR pc.created >= $2)
        AND pc.created <= $3
        AND ($4::bigint IS NULL OR pc.project_id = $4)
        AND ($5::bigint IS NULL OR pc.user_id = $5)
    GROUP BY 1
) AS x
