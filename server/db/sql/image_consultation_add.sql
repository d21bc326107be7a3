-- Record that the caller opened an image, closing their previous consultation of it first
-- (time: the sum of gaps under 15 s between its positions since; annotations created since),
-- during the caller's latest connection to the project.
-- $1 image_id bigint, $2 user_id bigint, $3 is_admin bool, $4 mode text
-- -> readable bool, project_id bigint, id bigint (the new consultation; NULL when not readable). No row: no image.
WITH target AS (
    SELECT i.id, i.project_id, ($3 OR project_readable(i.project_id, $2)) AS readable
    FROM image_instance AS i
    WHERE i.id = $1
),
previous AS (
    SELECT c.id, c.created
    FROM image_consultation AS c
    JOIN target AS t ON t.readable
    WHERE c.user_id = $2 AND c.image_id = $1 AND c.time IS NULL
    ORDER BY c.created DESC, c.id DESC
    LIMIT 1
),
closed AS (
    UPDATE image_consultation AS c SET
        time = (
            SELECT coalesce(sum(g.gap) FILTER (WHERE g.gap < 15000), 0)::bigint
            FROM (
                SELECT
                    extract(
                        EPOCH FROM p.created - lag(p.created, 1, pr.created) OVER (
                            ORDER BY p.created
                        )
                    ) * 1000 AS gap
                FROM user_position AS p
                WHERE p.user_id = $2 AND p.image_id = $1 AND p.created >= pr.created
            ) AS g
        ),
        count_created_annotations = (
            SELECT count(*)
            FROM annotation AS a
            WHERE
                a.image_id = $1 AND a.user_id = $2 AND a.kind = 'user'
                AND a.created >= pr.created
        )
    FROM previous AS pr
    WHERE c.id = pr.id
    RETURNING c.id
),
added AS (
    INSERT INTO image_consultation (user_id, image_id, project_id, mode, project_connection_id)
    SELECT
        $2, t.id, t.project_id, $4,
        (
            SELECT pc.id FROM project_connection AS pc
            WHERE pc.user_id = $2 AND pc.project_id = t.project_id
            ORDER BY pc.created DESC, pc.id DESC
            LIMIT 1
        )
    FROM target AS t
    WHERE t.readable
    RETURNING id
)
SELECT t.readable, t.project_id, a.id
FROM target AS t
LEFT JOIN added AS a ON true
