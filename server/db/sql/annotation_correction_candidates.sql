-- User annotations of an image, drawn by some users, that meet a correction shape.
-- $1 image_id bigint, $2 user ids bigint[], $3 shape bytea (WKB, SRID 0)
-- -> id bigint, user_id bigint, area float8, terms bigint[] (sorted), location text (WKT),
-- ordered by id
SELECT
    a.id,
    a.user_id,
    a.area,
    coalesce(
        (SELECT array_agg(DISTINCT t.term_id ORDER BY t.term_id) FROM annotation_term AS t
        WHERE t.annotation_id = a.id),
        '{}'
    ) AS terms,
    st_astext(a.location) AS location
FROM annotation AS a
WHERE
    a.image_id = $1
    AND a.kind = 'user'
    AND a.user_id = ANY($2::bigint [])
    AND a.location && st_geomfromwkb($3, 0)
    AND st_intersects(a.location, st_geomfromwkb($3, 0))
ORDER BY a.id
