-- The annotation listing, one skeleton for every listing statement: the statements are composed
-- (server/db/annotation_list_sql.py) by filling the slots below with a source (how the
-- candidate rows are found) and the fragments of filters/ a request uses ANDed, each a
-- `($x IS NULL OR ...)` arm or alike, true for every row when its parameters are NULL or false.
-- Parameters are named; the composed text binds them as $1.. with their types.
-- $user_id bigint
-- $bypass boolean
-- $kind text
-- $count boolean
-- $limit bigint
-- $offset bigint
-- $groups text[]
-- $tracks bigint[]
-- $after_id bigint
-- -> rows in order: when the listing names an id the caller may not read or that does not
--    exist, first one with refused (its kind), refused_id and refused_found (false: 404), and
--    nothing is listed; then, when counted, one with size (every match) and no items; then one
--    per run of up to 50 consecutive items of the page: found (items in it) and items (bytea,
--    those UTF-8 JSON objects joined by commas; newest first, with tracks by plane rank first)

-- The access check of the ids the listing names (at most one row: the first refused).
WITH refused AS MATERIALIZED (
    /*access*/
),

g AS (
    SELECT
        annotation_class($kind) AS class,
        CASE $kind
            WHEN 'reviewed' THEN 'reviewedannotation'
            WHEN 'algo' THEN 'algoannotation'
            ELSE 'userannotation'
        END AS path,
        $kind = 'reviewed' AS rev,
        'meta' = ANY($groups) AS meta,
        'wkt' = ANY($groups) AS wkt,
        'gis' = ANY($groups) AS gis,
        'term' = ANY($groups) AS term,
        -- Cytomine's reviewed listing has no track group.
        'track' = ANY($groups) AND $kind <> 'reviewed' AS track,
        'image' = ANY($groups) AS image,
        'slice' = ANY($groups) AS slice,
        'user' = ANY($groups) AS usr,
        'imageGroup' = ANY($groups) AS image_group,
        'group' = ANY($groups) AS link,
        -- The base URL as an open JSON string: '"' + escaped text, closed after the path.
        (SELECT left(to_json(s.url)::text, -1) FROM image_server AS s ORDER BY s.id LIMIT 1) AS url
),

-- Materialized (the viewer's window): one GiST scan feeds both the count and the page (keys
-- only). Not materialized (the rest): the page becomes its own `ORDER BY id DESC LIMIT`
-- query (a keyset page walks the primary key backwards and stops: 4 s -> 12 ms at 1M rows) and
-- the count, asked only when counted, its own scan.
matched AS /*materialized*/ (
    SELECT a.id, a.image_id, a.slice_id
    FROM annotation AS a
    CROSS JOIN g
    WHERE
        /*source*/
        AND a.kind = $kind
        -- Evaluated once, before the scan: a refused listing scans nothing.
        AND NOT EXISTS (SELECT FROM refused)
        AND /*filters*/
),

-- The page in listing order: newest first, or with a track filter (keyset pages aside) by
-- plane rank as Cytomine, then newest first (page_ranked.sql, in the statements of requests
-- naming tracks; each branch's one-time filter runs just one).
-- Sort only the keys, then fetch each row of the page by its key (image_id, id): one primary key
-- probe per row of the page, never a row address (a ctid names a row of one table on one
-- server, which a table distributed by image over several servers does not have).
-- Rows are numbered into runs of 50 (chunk): each run is aggregated and sent on its own, so
-- no text of the whole page is ever built (a 10k-row page is ~15 MB, and growing, copying and
-- sending one such value cost more than building it).
page AS (
    SELECT a.*, k.chunk
    FROM (
        SELECT u.id, u.image_id, u.rank, (row_number() OVER (ORDER BY u.rank, u.id DESC) - 1) / 50 AS chunk
        FROM (
            (
                SELECT m.id, m.image_id, 0 AS rank FROM matched AS m
                WHERE $tracks IS NULL OR $after_id IS NOT NULL
                ORDER BY m.id DESC LIMIT $limit OFFSET $offset
            )
            /*ranked*/
        ) AS u
        ORDER BY chunk, u.rank, u.id DESC
    ) AS k
    INNER JOIN annotation AS a ON k.id = a.id AND k.image_id = a.image_id
    ORDER BY k.chunk, k.rank, k.id DESC
)

-- Items are concatenated text (every value is a number, a WKT or escaped with to_json):
-- json_build_object and json_agg cost 3-5x more per row. A hidden group costs nothing.
SELECT
    NULL::bigint AS size,
    NULL::bigint AS found,
    NULL::bytea AS items,
    r.kind AS refused,
    r.id AS refused_id,
    r.found AS refused_found
FROM refused AS r
UNION ALL
SELECT (SELECT count(*) FROM matched), NULL, NULL, NULL, NULL, NULL
WHERE $count
UNION ALL
(SELECT
    NULL::bigint AS size,
    count(*) AS found,
    string_agg(convert_to(concat(
        '{"class":"', g.class, '","id":', a.id,
        -- The row's fields of the meta, gis and term groups: kept on the row when all three
        -- are shown (annotation.listed_head, migration 0050), else computed here. Both give
        -- the same text, in this order.
        coalesce(CASE WHEN g.meta AND g.gis AND g.term THEN a.listed_head END, concat(
            CASE WHEN g.meta THEN concat(
                ',"created":"', floor(extract(EPOCH FROM a.created) * 1000)::bigint,
                '","updated":',
                coalesce('"' || floor(extract(EPOCH FROM a.updated) * 1000)::bigint || '"', 'null'),
                ',"image":', a.image_id, ',"slice":', a.slice_id, ',"project":', a.project_id,
                ',"user":', a.user_id,
                CASE WHEN g.rev THEN concat(
                    ',"reviewed":true,"reviewUser":', coalesce(a.reviewer_id::text, 'null'),
                    ',"parentIdent":', coalesce(a.parent_id::text, 'null')
                ) END
            ) END,
            CASE WHEN g.gis THEN concat(
                ',"area":', a.area, ',"areaUnit":', to_json(a.area_unit),
                ',"perimeter":', a.perimeter, ',"perimeterUnit":', to_json(a.perimeter_unit),
                ',"centroid":{"x":', st_x(st_centroid(a.location)),
                ',"y":', st_y(st_centroid(a.location)), '}'
            ) END,
            -- The term group kept on the row (annotation.terms_listed), or computed when not
            -- kept (NULL): annotation_terms_listed is its one definition.
            CASE WHEN g.term THEN coalesce(a.terms_listed, (
                SELECT l.listed FROM annotation_terms_listed(a.id, a.kind, a.user_id) AS l (listed)
            )) END
        )),
        -- The meta fields that depend on other rows (comments, reviews) or on the server's URL;
        -- the comments are counted and the reviewed copy flagged on the row
        -- (annotation.comment_count and annotation.reviewed, migrations 0051 and 0052).
        CASE WHEN g.meta THEN concat(
            ',"nbComments":', a.comment_count,
            CASE WHEN g.rev THEN NULL
            WHEN a.reviewed THEN ',"countReviewedAnnotations":1,"reviewed":true'
            ELSE ',"countReviewedAnnotations":0,"reviewed":false' END,
            ',"cropURL":', g.url, '/api/', g.path, '/', a.id, '/crop.png"',
            ',"smallCropURL":', g.url, '/api/', g.path, '/', a.id, '/crop.png?maxSize=256"',
            ',"url":', g.url, '/#/project/', a.project_id, '/image/', a.image_id, '/annotation/', a.id,
            '","imageURL":', g.url, '/#/project/', a.project_id, '/image/', a.image_id, '"'
        ) END,
        CASE WHEN g.wkt THEN concat(
            ',"location":"', st_astext(a.location), '","geometryCompression":',
            a.geometry_compression
        ) END,
        /*more_groups*/
        '}'
    ), 'UTF8'), ','::bytea) AS items,
    NULL,
    NULL,
    NULL
FROM page AS a
CROSS JOIN g
GROUP BY a.chunk
ORDER BY a.chunk)
