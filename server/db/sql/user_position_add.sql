-- Record a viewer heartbeat: append it to the history and upsert the user's last position on
-- the slice, in one statement (nothing is written when the caller cannot read the project).
-- $1 slice_id bigint (NULL: the reference slice of $8), $2 user_id bigint, $3 is_admin bool,
-- $4 corners float8[] (topLeft, topRight, bottomRight, bottomLeft as x, y pairs),
-- $5 zoom int, $6 rotation float8, $7 broadcast bool, $8 image_id bigint (NULL with $1)
-- -> readable bool, project_id bigint, obj text (PersistentUserPosition object; NULL when not readable)
WITH target AS (
    SELECT
        s.id AS slice_id,
        s.image_id,
        s.project_id,
        ($3 OR project_readable(s.project_id, $2)) AS readable,
        $4::float8 [] AS c
    FROM slice_instance AS s
    WHERE s.id = coalesce($1, (
        SELECT si.id
        FROM slice_instance AS si
        JOIN abstract_slice AS b ON b.id = si.base_slice_id
        JOIN image_instance AS i ON i.id = si.image_id
        JOIN abstract_image AS a ON a.id = i.base_image_id
        WHERE si.image_id = $8
        ORDER BY (b.channel = 0 AND b.z_stack = a.depth / 2 AND b."time" = 0) DESC, si.id
        LIMIT 1
    ))
),
added AS (
    INSERT INTO user_position (
        user_id, image_id, slice_id, project_id, zoom, rotation, broadcast, location, x, y
    )
    SELECT
        $2, t.image_id, t.slice_id, t.project_id, $5, $6, $7,
        ST_MakePolygon(ST_MakeLine(ARRAY[
            ST_MakePoint(t.c[1], t.c[2]), ST_MakePoint(t.c[3], t.c[4]),
            ST_MakePoint(t.c[5], t.c[6]), ST_MakePoint(t.c[7], t.c[8]),
            ST_MakePoint(t.c[1], t.c[2])
        ])),
        (t.c[1] + t.c[3] + t.c[5] + t.c[7]) / 4,
        (t.c[2] + t.c[4] + t.c[6] + t.c[8]) / 4
    FROM target AS t
    WHERE t.readable
    RETURNING *
),
kept AS (
    INSERT INTO last_user_position (
        id, created, user_id, image_id, slice_id, project_id, zoom, rotation, broadcast,
        location, x, y
    )
    SELECT
        a.id, a.created, a.user_id, a.image_id, a.slice_id, a.project_id, a.zoom, a.rotation,
        a.broadcast, a.location, a.x, a.y
    FROM added AS a
    ON CONFLICT (user_id, slice_id) DO UPDATE SET
        id = excluded.id,
        created = excluded.created,
        zoom = excluded.zoom,
        rotation = excluded.rotation,
        broadcast = excluded.broadcast,
        location = excluded.location,
        x = excluded.x,
        y = excluded.y
    RETURNING id
)
SELECT
    t.readable,
    t.project_id,
    user_position_wire(
        'be.cytomine.domain.social.PersistentUserPosition', a.id, a.created, a.user_id,
        a.image_id, a.slice_id, a.project_id, a.zoom, a.rotation, a.broadcast, a.location,
        a.x, a.y
    )::text AS obj
FROM target AS t
LEFT JOIN added AS a ON true
