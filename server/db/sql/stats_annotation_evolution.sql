-- Annotations of one kind created in a project per period (see stats_evolution), optionally
-- only those with a term. Periods start at `start` (default: the project's creation).
-- $1 project_id bigint, $2 kind text ('user' | 'algo' | 'reviewed'), $3 term_id bigint
-- (NULL: any), $4 start timestamptz (NULL: project creation), $5 end timestamptz (NULL: now),
-- $6 days integer, $7 accumulate bool, $8 viewer_id bigint, $9 viewer_is_admin bool
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
-- -> date bigint, end_date bigint, size bigint (one row per period, oldest first)
SELECT e.period_start AS date, e.period_end AS end_date, e.size
FROM project AS p
CROSS JOIN LATERAL stats_evolution(
    ARRAY(
        SELECT a.created
        FROM annotation AS a
        WHERE
            a.project_id = p.id AND a.kind = $2
            AND layer_visible(a.project_id, a.user_id, $8, $9)
            AND ($4::timestamptz IS NULL OR a.created > $4)
            AND ($5::timestamptz IS NULL OR a.created < $5)
            AND (
                $3::bigint IS NULL OR EXISTS (
                    SELECT 1 FROM annotation_term AS at
                    WHERE at.annotation_id = a.id AND at.term_id = $3
                )
            )
    ),
    coalesce($4, p.created), coalesce($5, now()), $6, $7
) AS e
WHERE p.id = $1
ORDER BY e.period_start
