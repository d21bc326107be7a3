-- Cytomine's annotation report as CSV lines (separator ";", text fields quoted), for a cursor.
-- Columns: ID; Area; Perimeter; Center X; Center Y; Image ID; Image filename; User; Term
-- (names, ", "-joined); Annotation thumb (crop URL); Annotation in Cytomine (viewer URL).
-- $1 project_id bigint, $2 image_ids bigint[] (NULL: all), $3 user_ids bigint[] (NULL: all),
-- $4 term_ids bigint[] (NULL: all), $5 after epoch-ms bigint (NULL), $6 before epoch-ms
-- bigint (NULL), $7 geometry text (WKT; NULL: anywhere), $8 user_id bigint (caller),
-- $9 is_admin bool, $10 kind text (user, algo, reviewed) -> line text
SELECT
    concat_ws(
        ';',
        a.id,
        a.area,
        a.perimeter,
        to_char(st_x(c.centroid), 'FM999999999990.00'),
        to_char(st_y(c.centroid), 'FM999999999990.00'),
        a.image_id,
        csv_text(
            CASE WHEN p.blind_mode THEN i.id::text
                ELSE coalesce(i.instance_filename, ai.original_filename) END
        ),
        csv_text(u.username),
        csv_text(coalesce(t.names, '')),
        csv_text(s.url || '/api/' || $10 || 'annotation/' || a.id || '/crop.png'),
        csv_text(
            s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
            || '/annotation/' || a.id
        )
    ) AS line
FROM annotation AS a
JOIN project AS p ON p.id = a.project_id
JOIN image_instance AS i ON i.id = a.image_id
JOIN abstract_image AS ai ON ai.id = i.base_image_id
JOIN sec_user AS u ON u.id = a.user_id
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
LEFT JOIN LATERAL (
    SELECT string_agg(te.name, ', ' ORDER BY te.name) AS names
    FROM annotation_term AS at
    JOIN term AS te ON te.id = at.term_id
    WHERE at.annotation_id = a.id
) AS t ON true
WHERE
    a.project_id = $1
    AND a.kind = $10
    AND ($2::bigint [] IS NULL OR a.image_id = ANY($2))
    AND ($3::bigint [] IS NULL OR a.user_id = ANY($3))
    AND (
        $4::bigint [] IS NULL OR EXISTS (
            SELECT 1 FROM annotation_term AS f
            WHERE f.annotation_id = a.id AND f.term_id = ANY($4)
        )
    )
    AND ($5::bigint IS NULL OR a.created > to_timestamp($5 / 1000.0))
    AND ($6::bigint IS NULL OR a.created < to_timestamp($6 / 1000.0))
    AND ($7::text IS NULL OR st_intersects(a.location, st_geomfromtext($7, 0)))
    -- Members read, except the layers the project hides from them (admins read all).
    AND layer_visible(a.project_id, a.user_id, $8, $9)
ORDER BY a.id
