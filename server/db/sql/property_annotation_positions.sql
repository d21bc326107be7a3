-- Centres of one user's annotations on one image with their value for one property key,
-- optionally only those intersecting a geometry.
-- $1 image_id bigint, $2 user_id bigint, $3 key text, $4 area text (WKT, NULL: everywhere)
-- -> items text (JSON array of {idAnnotation, x, y, value}), never NULL
SELECT coalesce(json_agg(json_build_object(
    'idAnnotation', a.id,
    'x', st_x(st_centroid(a.location)),
    'y', st_y(st_centroid(a.location)),
    'value', p.value
) ORDER BY a.id), '[]')::text AS items
FROM annotation AS a
INNER JOIN property AS p ON p.domain_ident = a.id AND p.key = $3
WHERE
    a.kind = 'user'
    AND a.image_id = $1
    AND a.user_id = $2
    AND ($4::text IS NULL OR st_intersects(a.location, st_geomfromtext($4, 0)))
