-- Everything undo needs to put a user annotation back exactly: geometry as WKB (hex), measures,
-- slice, owner, and its term and track links with their ids and users (no row: no such
-- user annotation).
-- $1 annotation_id bigint -> state text (JSON)
SELECT json_build_object(
    'id', a.id,
    'created', a.created,
    'updated', a.updated,
    'image', a.image_id,
    'slice', a.slice_id,
    'project', a.project_id,
    'user', a.user_id,
    'wkb', encode(st_asbinary(a.location), 'hex'),
    'area', a.area,
    'areaUnit', a.area_unit,
    'perimeter', a.perimeter,
    'perimeterUnit', a.perimeter_unit,
    'geometryCompression', a.geometry_compression,
    'terms', coalesce(
        (
            SELECT json_agg(
                json_build_object('id', t.id, 'created', t.created, 'term', t.term_id, 'user', t.user_id)
                ORDER BY t.id
            )
            FROM annotation_term AS t WHERE t.annotation_id = a.id
        ),
        '[]'
    ),
    'tracks', coalesce(
        (
            SELECT json_agg(
                json_build_object(
                    'id', k.id, 'created', k.created, 'track', k.track_id, 'slice', k.slice_id
                )
                ORDER BY k.id
            )
            FROM annotation_track AS k WHERE k.annotation_id = a.id
        ),
        '[]'
    )
)::text AS state
FROM annotation AS a
WHERE a.id = $1 AND a.kind = 'user'
