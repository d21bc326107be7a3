-- Counts per period for the activity charts: from `start`, one bucket every `days` days up
-- to `stop`, each with its start (`date`), its end capped at `stop`, and the number of
-- instants in it (or up to its end when accumulating). Instants before `start` are not
-- counted, as in Cytomine.
CREATE OR REPLACE FUNCTION stats_evolution(
    moments timestamptz [], start timestamptz, stop timestamptz, days integer, accumulate boolean
) RETURNS TABLE (period_start bigint, period_end bigint, size bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH step AS (SELECT make_interval(hours => 24 * days) AS len),
    buckets AS (
        SELECT n, start + n * s.len AS lo, start + (n + 1) * s.len AS hi
        FROM step AS s
        CROSS JOIN generate_series(
            0, floor(extract(EPOCH FROM stop - start) / (86400 * days))::bigint
        ) AS n
        WHERE stop >= start
    ),
    counted AS (
        SELECT floor(extract(EPOCH FROM m.t - start) / (86400 * days))::bigint AS n, count(*) AS c
        FROM unnest(moments) AS m (t)
        WHERE m.t >= start
        GROUP BY 1
    )
    SELECT
        floor(extract(EPOCH FROM k.lo) * 1000)::bigint,
        floor(extract(EPOCH FROM least(k.hi, stop)) * 1000)::bigint,
        CASE
            WHEN accumulate THEN sum(coalesce(c.c, 0)) OVER (ORDER BY k.n)::bigint
            ELSE coalesce(c.c, 0)
        END
    FROM buckets AS k
    LEFT JOIN counted AS c ON c.n = k.n
    ORDER BY k.n
$$;
