-- One vector tile of an image's user annotations, on the grid of its normalized tiles.
-- Up to the cluster limit the tile holds the geometries (layer "annotations": feature id and
-- properties id, user, term (the smallest term id), terms (comma-joined)); above it, one point
-- per non-empty cell at the cell's mean centre (layer "clusters": property count).
-- $1 image_id bigint, $2..$5 tile envelope minx, miny, maxx, maxy float8 (bottom-left), $6 author
-- ids bigint[] (NULL = all), $7 term ids bigint[] (NULL = all), $8 stored level int, $9 shift
-- int, $10..$13 cell window cx0, cx1, cy0, cy1 int, $14 cluster limit bigint (NULL: never),
-- $15 viewer bigint (NULL: sees every layer; else the caller, shown only the layers the
-- project does not hide from them), $16 project_id bigint
-- -> tile bytea (empty when nothing), clustered boolean
WITH cells AS (
    SELECT
        o.cx >> $9 AS cx,
        o.cy >> $9 AS cy,
        sum(o.count) AS n,
        sum(o.sum_x) AS sx,
        sum(o.sum_y) AS sy
    FROM annotation_overview AS o
    WHERE
        o.image_id = $1
        AND o.level = $8
        AND o.cx BETWEEN $10 AND $11
        AND o.cy BETWEEN $12 AND $13
        AND ($6::bigint [] IS NULL OR o.user_id = ANY($6))
        AND ($15::bigint IS NULL OR layer_visible($16::bigint, o.user_id, $15, false))
        AND (
            CASE WHEN $7::bigint [] IS NULL THEN o.term_id = 0 ELSE o.term_id = ANY($7) END
        )
    GROUP BY 1, 2
    HAVING sum(o.count) > 0
),

decision AS (
    SELECT coalesce(coalesce(sum(c.n), 0) > $14::bigint, false) AS clustered FROM cells AS c
),

bounds AS (SELECT st_makeenvelope($2::float8, $3::float8, $4::float8, $5::float8, 0) AS box),

clusters AS (
    SELECT
        c.n::bigint AS count,
        st_asmvtgeom(st_makepoint(c.sx / c.n, c.sy / c.n), b.box::box2d, 4096, 0, true) AS geom
    FROM cells AS c CROSS JOIN bounds AS b
    WHERE (SELECT d.clustered FROM decision AS d)
),

features AS (
    SELECT
        a.id AS fid,
        a.id,
        a.user_id AS "user",
        t.terms[1] AS term,
        array_to_string(t.terms, ',') AS terms,
        st_asmvtgeom(a.location, b.box::box2d, 4096, 64, true) AS geom
    FROM annotation AS a
    CROSS JOIN bounds AS b
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms
        FROM annotation_term AS at
        WHERE at.annotation_id = a.id
    ) AS t ON true
    WHERE
        NOT (SELECT d.clustered FROM decision AS d)
        AND a.image_id = $1
        AND a.location && st_makeenvelope($2::float8, $3::float8, $4::float8, $5::float8, 0)
        AND a.kind = 'user'
        AND ($6::bigint [] IS NULL OR a.user_id = ANY($6))
        AND ($15 IS NULL OR layer_visible($16, a.user_id, $15, false))
        AND (
            $7::bigint [] IS NULL
            OR EXISTS (
                SELECT 1 FROM annotation_term AS f
                WHERE f.annotation_id = a.id AND f.term_id = ANY($7)
            )
        )
)

SELECT
    coalesce(
        (SELECT st_asmvt(c, 'clusters', 4096, 'geom') FROM clusters AS c WHERE c.geom IS NOT NULL),
        ''::bytea
    )
    || coalesce(
        (
            SELECT st_asmvt(f, 'annotations', 4096, 'geom', 'fid')
            FROM features AS f WHERE f.geom IS NOT NULL
        ),
        ''::bytea
    ) AS tile,
    (SELECT d.clustered FROM decision AS d) AS clustered
