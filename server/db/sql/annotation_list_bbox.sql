-- The viewer's hot path: annotations of some images inside a window, every listing filter.
-- Image and envelope are always bound so the GiST (image_id, location) index answers it in
-- every plan (custom or generic); the other filters are `($n IS NULL OR ...)` arms.
-- $1 user_id bigint, $2 bypass bool (admin), $3 kind text ('user' | 'reviewed'),
-- $4 project_id bigint, $5 image_ids bigint[], $6 slice_ids bigint[], $7 user_ids bigint[],
-- $8 term_ids bigint[], $9 no_term bool, $10 multiple_term bool, $11 users_for_term bigint[],
-- $12 track_ids bigint[], $13 no_track bool, $14 multiple_track bool, $15 tag_ids bigint[],
-- $16 no_tag bool, $17 reviewer_ids bigint[], $18 not_reviewed_only bool,
-- $19..$22 bbox envelope minx, miny, maxx, maxy float8, $23 exact area bytea (WKB, NULL when
-- the bbox is its envelope), $24 bbox_annotation bigint, $25 base geometry bytea (WKB),
-- $26 base_annotation bigint, $27 max distance float8, $28 excluded annotation bigint,
-- $29 created after timestamptz, $30 created before timestamptz, $31 keyset: ids below bigint,
-- $32 count bool, $33 limit bigint (NULL = all), $34 offset bigint, $35 shown groups text[]
-- -> size bigint (every match; NULL when not counted), found bigint (items in this page),
--    items bytea (UTF-8 JSON array, newest first)
WITH g AS (
    SELECT
        CASE $3::text
            WHEN 'reviewed' THEN 'be.cytomine.domain.ontology.ReviewedAnnotation'
            ELSE 'be.cytomine.domain.ontology.UserAnnotation'
        END AS class,
        CASE $3 WHEN 'reviewed' THEN 'reviewedannotation' ELSE 'userannotation' END AS path,
        'meta' = ANY($35::text []) AS meta,
        'wkt' = ANY($35) AS wkt,
        'gis' = ANY($35) AS gis,
        'term' = ANY($35) AS term,
        'track' = ANY($35) AS track,
        'image' = ANY($35) AS image,
        'slice' = ANY($35) AS slice,
        'user' = ANY($35) AS usr,
        'imageGroup' = ANY($35) AS image_group,
        'group' = ANY($35) AS link,
        -- The base URL as an open JSON string: '"' + escaped text, closed after the path.
        (SELECT left(to_json(s.url)::text, -1) FROM image_server AS s ORDER BY s.id LIMIT 1) AS url
),

-- The caller's projects; sees_all unless the project hides other layers from non-managers.
acl AS (
    SELECT
        m.project_id,
        m.is_manager OR NOT (p.hide_users_layers OR p.hide_admins_layers) AS sees_all,
        p.hide_users_layers AS hide_users,
        p.hide_admins_layers AS hide_admins
    FROM project_member AS m
    INNER JOIN project AS p ON m.project_id = p.id
    WHERE m.user_id = $1
),

-- Materialized: one GiST scan feeds both the count and the page (ids and ctids only).
matched AS MATERIALIZED (
    SELECT a.id, a.ctid AS tid
    FROM annotation AS a
    CROSS JOIN g
    WHERE
        a.image_id = ANY($5::bigint [])
        AND a.location && st_makeenvelope($19::float8, $20::float8, $21::float8, $22::float8, 0)
        AND a.kind = $3
        AND (
            $2
            OR a.project_id IN (SELECT acl.project_id FROM acl WHERE acl.sees_all)
            OR EXISTS (
                SELECT 1 FROM acl
                WHERE
                    acl.project_id = a.project_id
                    AND NOT acl.sees_all
                    AND (
                        a.user_id = $1
                        OR CASE
                            WHEN EXISTS (
                                SELECT 1 FROM project_member AS am
                                WHERE
                                    am.project_id = a.project_id
                                    AND am.user_id = a.user_id AND am.is_manager
                            ) THEN NOT acl.hide_admins
                            ELSE NOT acl.hide_users
                        END
                    )
            )
        )
        AND ($4::bigint IS NULL OR a.project_id = $4)
        AND ($6::bigint [] IS NULL OR a.slice_id = ANY($6))
        AND ($7::bigint [] IS NULL OR a.user_id = ANY($7))
        AND (
            ($8::bigint [] IS NULL AND NOT $9::boolean AND $11::bigint [] IS NULL)
            OR EXISTS (
                SELECT 1 FROM annotation_term AS t
                WHERE
                    t.annotation_id = a.id
                    AND ($8 IS NULL OR t.term_id = ANY($8))
                    AND ($11 IS NULL OR t.user_id = ANY($11))
                    AND ($8 IS NOT NULL OR $11 IS NOT NULL)
            )
            OR ($9 AND NOT EXISTS (SELECT 1 FROM annotation_term AS t WHERE t.annotation_id = a.id))
        )
        AND (
            NOT $10::boolean
            OR (SELECT count(DISTINCT t.term_id) FROM annotation_term AS t WHERE t.annotation_id = a.id) > 1
        )
        AND (
            ($12::bigint [] IS NULL AND NOT $13::boolean)
            OR EXISTS (
                SELECT 1 FROM annotation_track AS r
                WHERE r.annotation_id = a.id AND r.track_id = ANY($12)
            )
            OR ($13 AND NOT EXISTS (SELECT 1 FROM annotation_track AS r WHERE r.annotation_id = a.id))
        )
        AND (
            NOT $14::boolean
            OR (SELECT count(DISTINCT r.track_id) FROM annotation_track AS r WHERE r.annotation_id = a.id) > 1
        )
        AND (
            ($15::bigint [] IS NULL AND NOT $16::boolean)
            OR EXISTS (
                SELECT 1 FROM tag_domain_association AS d
                WHERE
                    d.domain_ident = a.id AND d.domain_class_name = g.class AND d.tag_id = ANY($15)
            )
            OR (
                $16 AND NOT EXISTS (
                    SELECT 1 FROM tag_domain_association AS d
                    WHERE d.domain_ident = a.id AND d.domain_class_name = g.class
                )
            )
        )
        AND ($17::bigint [] IS NULL OR a.reviewer_id = ANY($17))
        AND (NOT $18::boolean OR NOT EXISTS (SELECT 1 FROM annotation AS v WHERE v.parent_id = a.id))
        AND ($23::bytea IS NULL OR st_intersects(a.location, st_geomfromwkb($23, 0)))
        AND (
            $24::bigint IS NULL
            OR st_intersects(a.location, (SELECT b.location FROM annotation AS b WHERE b.id = $24))
        )
        AND (
            $27::float8 IS NULL
            OR st_dwithin(
                a.location,
                coalesce(
                    st_geomfromwkb($25::bytea, 0),
                    (SELECT b.location FROM annotation AS b WHERE b.id = $26::bigint)
                ),
                $27
            )
        )
        AND ($28::bigint IS NULL OR a.id <> $28)
        AND ($29::timestamptz IS NULL OR a.created > $29)
        AND ($30::timestamptz IS NULL OR a.created < $30)
        AND ($31::bigint IS NULL OR a.id < $31)
),

-- Sort only (id, ctid), then fetch each row of the page by its ctid (no second index probe).
page AS (
    SELECT a.*
    FROM (
        SELECT m.id, m.tid FROM matched AS m ORDER BY m.id DESC LIMIT $33::bigint OFFSET $34::bigint
    ) AS k
    INNER JOIN annotation AS a ON a.ctid = k.tid
    ORDER BY k.id DESC
)

-- Items are concatenated text (every value is a number, a WKT or escaped with to_json):
-- json_build_object and json_agg cost 3-5x more per row. A hidden group costs nothing.
SELECT
    CASE WHEN $32::boolean THEN (SELECT count(*) FROM matched) END AS size,
    count(*) AS found,
    convert_to('[' || coalesce(string_agg(concat(
        '{"class":"', g.class, '","id":', a.id,
        CASE WHEN g.meta THEN concat(
            ',"created":"', floor(extract(EPOCH FROM a.created) * 1000)::bigint,
            '","updated":',
            coalesce('"' || floor(extract(EPOCH FROM a.updated) * 1000)::bigint || '"', 'null'),
            ',"image":', a.image_id, ',"slice":', a.slice_id, ',"project":', a.project_id,
            ',"user":', a.user_id, ',"nbComments":0,"countReviewedAnnotations":', r.reviewed::int,
            ',"reviewed":', CASE WHEN r.reviewed THEN 'true' ELSE 'false' END,
            ',"cropURL":', g.url, '/api/', g.path, '/', a.id, '/crop.png"',
            ',"smallCropURL":', g.url, '/api/', g.path, '/', a.id, '/crop.png?maxSize=256"',
            ',"url":', g.url, '/#/project/', a.project_id, '/image/', a.image_id, '/annotation/', a.id,
            '","imageURL":', g.url, '/#/project/', a.project_id, '/image/', a.image_id, '"'
        ) END,
        CASE WHEN g.wkt THEN concat(
            ',"location":"', st_astext(a.location), '","geometryCompression":',
            a.geometry_compression
        ) END,
        CASE WHEN g.gis THEN concat(
            ',"area":', a.area, ',"areaUnit":', to_json(a.area_unit), ',"perimeter":', a.perimeter,
            ',"perimeterUnit":', to_json(a.perimeter_unit),
            ',"centroid":{"x":', st_x(c.centroid), ',"y":', st_y(c.centroid), '}'
        ) END,
        CASE WHEN g.term THEN coalesce((
            SELECT concat(
                ',"term":[', array_to_string(array_agg(DISTINCT t.term_id), ','),
                '],"userByTerm":[', string_agg(concat(
                    '{"id":', t.id, ',"term":', t.term_id, ',"user":[', t.user_id, ']}'
                ), ',' ORDER BY t.term_id, t.id), ']'
            )
            FROM annotation_term AS t WHERE t.annotation_id = a.id
        ), ',"term":[],"userByTerm":[]') END,
        CASE WHEN g.track THEN coalesce((
            SELECT concat(
                ',"track":[', string_agg(r.track_id::text, ',' ORDER BY r.track_id),
                '],"annotationTrack":[', string_agg(concat(
                    '{"id":', r.id, ',"track":', r.track_id, '}'
                ), ',' ORDER BY r.track_id), ']'
            )
            FROM annotation_track AS r WHERE r.annotation_id = a.id
        ), ',"track":[],"annotationTrack":[]') END,
        CASE WHEN g.image THEN (
            SELECT concat(
                ',"originalFilename":',
                coalesce(to_json(
                    CASE WHEN p.blind_mode THEN i.id::text ELSE ai.original_filename END
                )::text, 'null'),
                ',"instanceFilename":', coalesce(to_json(CASE WHEN p.blind_mode THEN i.id::text
                    ELSE coalesce(i.instance_filename, ai.original_filename) END)::text, 'null')
            )
            FROM image_instance AS i
            INNER JOIN abstract_image AS ai ON i.base_image_id = ai.id
            INNER JOIN project AS p ON i.project_id = p.id
            WHERE i.id = a.image_id
        ) END,
        CASE WHEN g.slice THEN (
            SELECT concat(',"channel":', bs.channel, ',"zStack":', bs.z_stack, ',"time":', bs.time)
            FROM slice_instance AS si
            INNER JOIN abstract_slice AS bs ON si.base_slice_id = bs.id
            WHERE si.id = a.slice_id
        ) END,
        CASE WHEN g.usr THEN (
            SELECT concat(
                ',"creator":', to_json(u.username),
                ',"name":',
                coalesce(to_json(nullif(concat_ws(' ', u.firstname, u.lastname), ''))::text, 'null')
            )
            FROM sec_user AS u WHERE u.id = a.user_id
        ) END,
        CASE WHEN g.image_group THEN ',"imageGroup":null' END,
        CASE WHEN g.link THEN ',"group":null,"annotationLink":[]' END,
        '}'
    ), ','), '') || ']', 'UTF8') AS items
FROM page AS a
CROSS JOIN g
LEFT JOIN LATERAL (SELECT st_centroid(a.location) AS centroid WHERE g.gis) AS c ON true
CROSS JOIN LATERAL (
    SELECT
        a.kind = 'reviewed'
        OR (g.meta AND EXISTS (SELECT 1 FROM annotation AS v WHERE v.parent_id = a.id)) AS reviewed
) AS r
