-- Connections, image openings or annotation actions in a project per period (see
-- stats_evolution). Periods start at `start` (default: the project's creation).
-- $1 project_id bigint, $2 source text ('connection' | 'consultation' | 'action'),
-- $3 start timestamptz (NULL: project creation), $4 end timestamptz (NULL: now),
-- $5 days integer, $6 accumulate bool, $7 action text (NULL: any; only for 'action')
-- -> date bigint, end_date bigint, size bigint (one row per period, oldest first)
SELECT e.period_start AS date, e.period_end AS end_date, e.size
FROM project AS p
CROSS JOIN LATERAL stats_evolution(
    ARRAY(
        SELECT x.created
        FROM (
            SELECT pc.created FROM project_connection AS pc
            WHERE $2 = 'connection' AND pc.project_id = p.id
            UNION ALL
            SELECT c.created FROM image_consultation AS c
            WHERE $2 = 'consultation' AND c.project_id = p.id
            UNION ALL
            SELECT a.created FROM annotation_action AS a
            WHERE
                $2 = 'action' AND a.project_id = p.id
                AND ($7::text IS NULL OR a.action = $7)
        ) AS x
        WHERE
            ($3::timestamptz IS NULL OR x.created >= $3)
            AND ($4::timestamptz IS NULL OR x.created <= $4)
    ),
    coalesce($3, p.created), coalesce($4, now()), $5, $6
) AS e
WHERE p.id = $1
ORDER BY e.period_start
