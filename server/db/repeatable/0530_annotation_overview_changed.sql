-- A move (location, image, author or kind) takes the annotation and its terms out of the old
-- cells and into the new ones; other updates change nothing here.
CREATE OR REPLACE FUNCTION annotation_overview_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(d.i), array_agg(d.u), array_agg(d.term_id), array_agg(d.x), array_agg(d.y),
        array_agg(d.n)
    )
    FROM (
        WITH moved AS (
            SELECT o.id, o.kind = 'user' AS ok, n.kind = 'user' AS nk,
                o.image_id AS oi, o.user_id AS ou, n.image_id AS ni, n.user_id AS nu,
                annotation_overview_x(o.location) AS ox, annotation_overview_y(o.location) AS oy,
                annotation_overview_x(n.location) AS nx, annotation_overview_y(n.location) AS ny
            FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        ), changed AS (
            SELECT * FROM moved AS m
            WHERE (m.ok, m.oi, m.ou, m.ox, m.oy) IS DISTINCT FROM (m.nk, m.ni, m.nu, m.nx, m.ny)
        ), terms AS (
            SELECT c.*, 0::bigint AS term_id FROM changed AS c
            UNION ALL
            SELECT DISTINCT ON (c.id, t.term_id) c.*, t.term_id
            FROM changed AS c
            CROSS JOIN LATERAL (
                SELECT x.term_id FROM annotation_term AS x WHERE x.annotation_id = c.id
            ) AS t
        )
        SELECT t.oi AS i, t.ou AS u, t.term_id, t.ox AS x, t.oy AS y, -1 AS n
        FROM terms AS t WHERE t.ok
        UNION ALL
        SELECT t.ni, t.nu, t.term_id, t.nx, t.ny, 1 FROM terms AS t WHERE t.nk
    ) AS d
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;
