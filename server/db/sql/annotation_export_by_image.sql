-- Every user annotation of one image as GeoJSON Feature text, for a streamed export (cursor).
-- Coordinates are the annotation's (image pixels, bottom-left origin); properties carry what
-- an import reads back (term, slice, user) and the measures.
-- $1 image_id bigint, $2 user_id bigint (caller), $3 is_admin bool -> feature text
SELECT
    json_build_object(
        'type', 'Feature',
        'id', a.id,
        'geometry', st_asgeojson(a.location, 15)::json,
        'properties', json_build_object(
            'id', a.id,
            'image', a.image_id,
            'slice', a.slice_id,
            'project', a.project_id,
            'user', a.user_id,
            'term', coalesce(t.terms, '{}'),
            'area', a.area,
            'areaUnit', a.area_unit,
            'perimeter', a.perimeter,
            'perimeterUnit', a.perimeter_unit,
            'created', epoch_ms(a.created)
        )
    )::text AS feature
FROM annotation AS a
LEFT JOIN LATERAL (
    SELECT array_agg(at.term_id ORDER BY at.term_id) AS terms
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
WHERE
    a.image_id = $1
    AND a.kind = 'user'
    -- Members read, except the layers the project hides from them (admins read all).
    AND layer_visible(a.project_id, a.user_id, $2, $3)
ORDER BY a.id
