-- How many user annotations a window holds, estimated from the overview aggregates without
-- reading any annotation: the cells meeting the window, each counted in proportion to the
-- part of it (inside the image) the window covers. Decides the row budget of a listing.
-- $1 image_id bigint, $2 stored level int, $3..$6 cell window cx0, cx1, cy0, cy1 int,
-- $7 author ids bigint[] (NULL = all), $8 term ids bigint[] (NULL = every annotation),
-- $9 width int, $10 height int, $11..$14 window minx, miny, maxx, maxy float8 (bottom-left),
-- $15 viewer bigint (NULL: sees every layer; else the caller, shown only the layers the
-- project does not hide from them), $16 project_id bigint
-- -> rows float8 (0 when no cell meets the window)
WITH cells AS (
    SELECT
        o.cx,
        o.cy,
        sum(o.count) AS n
    FROM annotation_overview AS o
    WHERE
        o.image_id = $1
        AND o.level = $2
        AND o.cx BETWEEN $3 AND $4
        AND o.cy BETWEEN $5 AND $6
        AND ($7::bigint [] IS NULL OR o.user_id = ANY($7))
        AND (
            CASE WHEN $8::bigint [] IS NULL THEN o.term_id = 0 ELSE o.term_id = ANY($8) END
        )
        AND ($15::bigint IS NULL OR layer_visible($16::bigint, o.user_id, $15, false))
    GROUP BY o.cx, o.cy
    HAVING sum(o.count) > 0
),

boxes AS (
    SELECT
        c.n,
        c.cx * s.side AS x0,
        least((c.cx + 1) * s.side, $9::float8) AS x1,
        greatest($10::float8 - (c.cy + 1) * s.side, 0) AS y0,
        $10::float8 - c.cy * s.side AS y1
    FROM cells AS c
    CROSS JOIN (SELECT (1::bigint << $2)::float8 AS side) AS s
)

SELECT
    coalesce(sum(
        b.n
        * greatest(least(b.x1, $13::float8) - greatest(b.x0, $11::float8), 0)
        / greatest(b.x1 - b.x0, 1)
        * greatest(least(b.y1, $14::float8) - greatest(b.y0, $12::float8), 0)
        / greatest(b.y1 - b.y0, 1)
    ), 0)::float8 AS rows
FROM boxes AS b
