-- One page of an image's user annotations as IIIF targets: geometry in canvas coordinates and
-- the names of their terms. Cytomine's frame has its origin at the bottom left (y up), a IIIF
-- canvas at the top left (y down): y becomes height - y. ST_AsSVG already writes -y (SVG is
-- y down), so translating by -height first gives height - y; WKT takes the full affine flip.
-- Layers follow the annotation listing: members see every layer unless the project hides
-- users' or admins' layers from non-managers; admins see all.
-- $1 image_instance_id bigint, $2 user_id bigint, $3 bypass bool (admin),
-- $4 after id bigint (keyset: ids above it; NULL from the start), $5 limit bigint
-- -> id bigint, svg text (an SVG element), wkt text, terms text[] (names, sorted)
WITH img AS (
    SELECT i.id, i.project_id, a.height::float8 AS height
    FROM image_instance AS i
    JOIN abstract_image AS a ON a.id = i.base_image_id
    WHERE i.id = $1
),

acl AS (
    SELECT
        m.is_manager OR NOT (p.hide_users_layers OR p.hide_admins_layers) AS sees_all,
        p.hide_users_layers AS hide_users,
        p.hide_admins_layers AS hide_admins
    FROM img
    JOIN project AS p ON p.id = img.project_id
    JOIN project_member AS m ON m.project_id = p.id AND m.user_id = $2
)

SELECT
    a.id,
    CASE
        WHEN st_geometrytype(a.location) = 'ST_Point'
            THEN '<circle ' || st_assvg(st_translate(a.location, 0, -img.height), 0, 2)
            || ' r="4"/>'
        ELSE '<path d="' || st_assvg(st_translate(a.location, 0, -img.height), 0, 2) || '"/>'
    END AS svg,
    st_astext(st_affine(a.location, 1, 0, 0, -1, 0, img.height), 2) AS wkt,
    coalesce(t.names, '{}') AS terms
FROM img
JOIN annotation AS a ON a.image_id = img.id
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT tm.name ORDER BY tm.name) AS names
    FROM annotation_term AS at
    JOIN term AS tm ON tm.id = at.term_id
    WHERE at.annotation_id = a.id
) AS t ON true
WHERE
    a.kind = 'user'
    AND ($4::bigint IS NULL OR a.id > $4)
    AND (
        $3
        OR EXISTS (SELECT 1 FROM acl WHERE acl.sees_all)
        OR EXISTS (
            SELECT 1 FROM acl
            WHERE
                a.user_id = $2
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
ORDER BY a.id
LIMIT $5
