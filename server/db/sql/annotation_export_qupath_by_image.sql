-- Every user annotation of one image as a QuPath GeoJSON Feature, for a streamed export.
-- QuPath's frame: image pixels with the origin at the top-left corner and y down, so each
-- location is flipped with its image's height (y' = height - y). The id is a UUID whose last
-- 12 hex digits are the annotation id; one term is the classification's name, several are its
-- names (a QuPath derived class), coloured by the first name's term; no term: no classification.
-- $1 image_id bigint, $2 user_id bigint (caller), $3 is_admin bool,
-- $4 object_type text (annotation or detection) -> feature text
SELECT
    json_build_object(
        'type', 'Feature',
        'id', '00000000-0000-4000-8000-' || lpad(to_hex(a.id), 12, '0'),
        'geometry', st_asgeojson(st_affine(a.location, 1, 0, 0, -1, 0, ai.height), 15)::json,
        'properties', json_strip_nulls(json_build_object(
            'objectType', $4::text,
            'isLocked', false,
            'classification', CASE
                WHEN cardinality(t.names) = 1
                    THEN json_build_object('name', t.names[1], 'color', t.color)
                WHEN cardinality(t.names) > 1
                    THEN json_build_object('names', t.names, 'color', t.color)
            END,
            'measurements', json_build_object(
                'Area ' || a.area_unit, a.area, 'Perimeter ' || a.perimeter_unit, a.perimeter
            )
        ))
    )::text AS feature
FROM annotation AS a
JOIN image_instance AS i ON i.id = a.image_id
JOIN abstract_image AS ai ON ai.id = i.base_image_id
LEFT JOIN LATERAL (
    SELECT
        array_agg(DISTINCT te.name ORDER BY te.name) AS names,
        color_rgb((array_agg(te.color ORDER BY te.name))[1]) AS color
    FROM annotation_term AS at
    JOIN term AS te ON te.id = at.term_id
    WHERE at.annotation_id = a.id
) AS t ON true
WHERE
    a.image_id = $1
    AND a.kind = 'user'
    -- Members read, except the layers the project hides from them (admins read all).
    AND layer_visible(a.project_id, a.user_id, $2, $3)
ORDER BY a.id
