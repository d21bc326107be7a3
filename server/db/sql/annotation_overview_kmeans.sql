-- Cytomine's clustered annotation layer ("kmeans" rows) from the overview aggregates: the
-- cells meeting the bbox, weighted by their counts (M), split into k clusters. Answers
-- nothing when the image holds fewer user annotations (of those authors) than the threshold.
-- $1 image_id bigint, $2 stored level int, $3 shift int, $4..$7 cell window cx0, cx1, cy0, cy1
-- int, $8 author ids bigint[] (NULL = all), $9 term ids bigint[] (NULL = all), $10 width int,
-- $11 height int, $12 threshold bigint, $13 k int, $14 viewer bigint (NULL: sees every layer;
-- else the caller, shown only the layers the project does not hide from them), $15 project_id
-- -> items text (JSON array of {id, location (WKT convex hull), term [], count, ratio}; NULL
-- when not clustered), size bigint
WITH total AS (
    SELECT coalesce(sum(o.count), 0) AS n
    FROM annotation_overview AS o
    WHERE
        o.image_id = $1
        AND o.level = 16
        AND o.term_id = 0
        AND ($8::bigint [] IS NULL OR o.user_id = ANY($8))
        AND ($14::bigint IS NULL OR layer_visible($15::bigint, o.user_id, $14, false))
),

cells AS (
    SELECT
        o.cx >> $3 AS cx,
        o.cy >> $3 AS cy,
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
        AND ($14 IS NULL OR layer_visible($15, o.user_id, $14, false))
        AND (
            CASE WHEN $9::bigint [] IS NULL THEN o.term_id = 0 ELSE o.term_id = ANY($9) END
        )
        AND (SELECT t.n FROM total AS t) >= $12::bigint
    GROUP BY 1, 2
    HAVING sum(o.count) > 0
),

clustered AS (
    SELECT
        c.*,
        1::bigint << ($2 + $3) AS side,
        st_clusterkmeans(
            st_makepointm(c.sx / c.n, c.sy / c.n, c.n),
            least($13::int, (SELECT count(*) FROM cells)::int)
        ) OVER () AS k
    FROM cells AS c
),

clusters AS (
    SELECT
        c.k,
        sum(c.n) AS n,
        st_convexhull(st_collect(st_makeenvelope(
            c.cx * c.side,
            greatest($11::bigint - (c.cy + 1) * c.side, 0),
            least((c.cx + 1) * c.side, $10::bigint),
            $11::bigint - c.cy * c.side,
            0
        ))) AS hull
    FROM clustered AS c
    GROUP BY c.k
)

SELECT
    json_agg(
        json_build_object(
            'id', c.k,
            'location', st_astext(c.hull),
            'term', '[]'::json,
            'count', c.n,
            'ratio', c.n::float8 / greatest((SELECT max(m.n) FROM clusters AS m), 1)
        )
        ORDER BY c.k
    )::text AS items,
    count(*) AS size
FROM clusters AS c
