-- Overview cells of one image: user-annotation counts per cell and term from the aggregates.
-- $1 image_id bigint, $2 stored level int, $3 shift to the answered level int,
-- $4..$7 cell window at the stored level cx0, cx1, cy0, cy1 int, $8 author ids bigint[] (NULL =
-- all), $9 term ids bigint[] (NULL = every annotation; else count those terms), $10 width int,
-- $11 height int, $12 viewer bigint (NULL: sees every layer; else the caller, shown only the
-- layers the project does not hide from them), $13 project_id bigint
-- -> cells text (JSON array of {x, y, count, centroid {x, y}, bbox [minx, miny, maxx, maxy],
-- terms {id: count}}, bottom-left pixels, ordered by row then column; NULL when empty),
-- total bigint
WITH per_term AS (
    SELECT
        o.cx >> $3 AS cx,
        o.cy >> $3 AS cy,
        o.term_id,
        sum(o.count) AS n,
        sum(o.sum_x) AS sx,
        sum(o.sum_y) AS sy
    FROM annotation_overview AS o
    WHERE
        o.image_id = $1
        AND o.level = $2
        AND o.cx BETWEEN $4 AND $5
        AND o.cy BETWEEN $6 AND $7
        AND ($8::bigint [] IS NULL OR o.user_id = ANY($8))
        AND ($9::bigint [] IS NULL OR o.term_id = ANY($9))
        AND ($12::bigint IS NULL OR layer_visible($13::bigint, o.user_id, $12, false))
    GROUP BY 1, 2, 3
    HAVING sum(o.count) > 0
),

cells AS (
    SELECT
        p.cx,
        p.cy,
        sum(p.n) FILTER (WHERE (p.term_id = 0) = ($9::bigint [] IS NULL)) AS n,
        sum(p.sx) FILTER (WHERE (p.term_id = 0) = ($9::bigint [] IS NULL)) AS sx,
        sum(p.sy) FILTER (WHERE (p.term_id = 0) = ($9::bigint [] IS NULL)) AS sy,
        coalesce(jsonb_object_agg(p.term_id, p.n) FILTER (WHERE p.term_id <> 0), '{}') AS terms
    FROM per_term AS p
    GROUP BY p.cx, p.cy
),

sized AS (SELECT c.*, 1::bigint << ($2 + $3) AS side FROM cells AS c WHERE c.n > 0)

SELECT
    json_agg(
        json_build_object(
            'x', s.cx,
            'y', s.cy,
            'count', s.n,
            'centroid', json_build_object('x', s.sx / s.n, 'y', s.sy / s.n),
            'bbox', json_build_array(
                s.cx * s.side,
                greatest($11::bigint - (s.cy + 1) * s.side, 0),
                least((s.cx + 1) * s.side, $10::bigint),
                $11::bigint - s.cy * s.side
            ),
            'terms', s.terms
        )
        ORDER BY s.cy, s.cx
    )::text AS cells,
    coalesce(sum(s.n), 0)::bigint AS total
FROM sized AS s
