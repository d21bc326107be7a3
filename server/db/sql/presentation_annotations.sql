-- One page of an image's user annotations as IIIF targets: geometry in canvas coordinates and
-- the names of their terms. Cytomine's frame has its origin at the bottom left (y up), a IIIF
-- canvas at the top left (y down): y becomes height - y. ST_AsSVG already writes -y (SVG is
-- y down), so translating by -height first gives height - y; WKT takes the full affine flip.
-- Layers follow the annotation listing (layer_visible: hidden users' or admins' layers).
-- $1 image_instance_id bigint, $2 user_id bigint, $3 bypass bool (admin),
-- $4 after id bigint (keyset: ids above it; NULL from the start), $5 limit bigint
-- -> id bigint, svg text (an SVG element), wkt text, terms text[] (names, sorted)
WITH img AS (
    SELECT i.id, i.project_id, a.height::float8 AS height
    FROM image_instance AS i
    JOIN abstract_image AS a ON a.id = i.base_image_id
    WHERE i.id = $1
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
    AND layer_visible(a.project_id, a.user_id, $2, $3)
ORDER BY a.id
LIMIT $5
