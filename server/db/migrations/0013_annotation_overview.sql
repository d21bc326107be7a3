-- Zoomed-out views of an image's annotations: counts per grid cell, kept current on write.
-- A cell of level L is a 2^L-pixel square of the image's tile grid (top-left origin, like the
-- normalized tiles: a level-(tier + 8) cell is the tile of that tier), so vector tiles and the
-- overview read whole cells. Each annotation counts once per level, in the cell of its bbox
-- centre, under term 0 (every annotation) and once under each of its terms; user_id is the
-- annotation's author. sum_x/sum_y add the centres (bottom-left origin, annotation space) so
-- a cluster's position is sum / count. Statement-level triggers with transition tables keep it
-- current: a bulk insert of 10k rows runs one grouped upsert per statement. Only user
-- annotations (kind 'user') count, like Cytomine's default annotation layer.

-- fillfactor leaves room for HOT updates: the triggers update counts in place.
CREATE TABLE annotation_overview (
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    term_id bigint NOT NULL,
    user_id bigint NOT NULL,
    count integer NOT NULL,
    sum_x double precision NOT NULL,
    sum_y double precision NOT NULL,
    PRIMARY KEY (image_id, level, cx, cy, term_id, user_id)
) WITH (fillfactor = 70);

-- Bumped once per writing statement per image: the ETag of vector tiles and overviews.
CREATE TABLE annotation_overview_version (
    image_id bigint PRIMARY KEY REFERENCES image_instance (id) ON DELETE CASCADE,
    version bigint NOT NULL
);

-- The stored levels (cell side 2^level px, the finest first): the finest is coarse enough
-- that a bulk insert touches few cells (a shuffled batch of 10k rows upserts ~4x fewer rows
-- than with 256-px cells) and fine enough for a 16x16 grid of the tiles from tier 6 up (4x4
-- at tier 4); every coarser level is stored too (they hold few rows), so reads never regroup.
CREATE FUNCTION annotation_overview_levels() RETURNS smallint []
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '{10,11,12,13,14,15,16}'::smallint [] $$;

-- Add (n = 1) or remove (n = -1) annotations of (image, author) centred at (x, y) under a
-- term: grouped into cells of the finest level (10) first (a tile-ordered batch of 10k rows
-- makes a few dozen groups), then each coarser level shifts those cells
-- (floor(v / 2^L) = floor(v / 1024) >> (L - 10)).
CREATE FUNCTION annotation_overview_apply(
    image_ids bigint [], user_ids bigint [], term_ids bigint [],
    xs double precision [], ys double precision [], ns integer []
) RETURNS void
LANGUAGE sql AS $$
    WITH d AS (
        SELECT * FROM unnest(image_ids, user_ids, term_ids, xs, ys, ns)
        AS d (image_id, user_id, term_id, x, y, n)
    ), fine AS (
        SELECT
            d.image_id, d.user_id, d.term_id,
            least(greatest(floor(d.x / 1024)::int, 0), (g.width - 1) >> 10) AS cx,
            least(greatest(floor((g.height - d.y) / 1024)::int, 0), (g.height - 1) >> 10) AS cy,
            sum(d.n) AS n, sum(d.n * d.x) AS sx, sum(d.n * d.y) AS sy
        FROM d
        JOIN image_instance AS i ON i.id = d.image_id
        JOIN abstract_image AS g ON g.id = i.base_image_id
        GROUP BY 1, 2, 3, 4, 5
    ), cells AS (
        SELECT f.image_id, l.level, f.cx >> (l.level - 10) AS cx, f.cy >> (l.level - 10) AS cy,
            f.term_id, f.user_id, sum(f.n)::int AS n, sum(f.sx) AS sx, sum(f.sy) AS sy
        FROM fine AS f CROSS JOIN unnest(annotation_overview_levels()) AS l (level)
        GROUP BY 1, 2, 3, 4, 5, 6
    ), upserted AS (
        INSERT INTO annotation_overview AS o
            (image_id, level, cx, cy, term_id, user_id, count, sum_x, sum_y)
        SELECT * FROM cells ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (image_id, level, cx, cy, term_id, user_id) DO UPDATE
        SET count = o.count + excluded.count,
            sum_x = o.sum_x + excluded.sum_x,
            sum_y = o.sum_y + excluded.sum_y
    )
    INSERT INTO annotation_overview_version AS v (image_id, version)
    SELECT DISTINCT f.image_id, 1 FROM fine AS f ORDER BY 1
    ON CONFLICT (image_id) DO UPDATE SET version = v.version + 1;
$$;

-- The centre that places an annotation in the grid (its bbox centre: no geometry maths).
CREATE FUNCTION annotation_overview_x(g geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (st_xmin(g) + st_xmax(g)) / 2 $$;
CREATE FUNCTION annotation_overview_y(g geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (st_ymin(g) + st_ymax(g)) / 2 $$;

CREATE FUNCTION annotation_overview_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(0::bigint),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(1)
    )
    FROM added AS a
    WHERE a.kind = 'user'
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

-- A deleted annotation's term links are removed by the cascade before this trigger runs and
-- their own trigger runs after it, when the annotation is gone: the places of the deleted
-- annotations wait for it in a temporary table emptied at commit.
CREATE FUNCTION annotation_overview_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(0::bigint),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(-1)
    )
    FROM removed AS a
    WHERE a.kind = 'user'
    HAVING count(*) > 0;
    IF to_regclass('pg_temp.annotation_overview_gone') IS NULL THEN
        CREATE TEMP TABLE annotation_overview_gone (
            id bigint, image_id bigint, user_id bigint, x double precision, y double precision
        ) ON COMMIT DELETE ROWS;
    END IF;
    INSERT INTO pg_temp.annotation_overview_gone
    SELECT a.id, a.image_id, a.user_id, annotation_overview_x(a.location),
        annotation_overview_y(a.location)
    FROM removed AS a
    WHERE a.kind = 'user';
    RETURN NULL;
END
$$;

-- A move (location, image, author or kind) takes the annotation and its terms out of the old
-- cells and into the new ones; other updates change nothing here.
CREATE FUNCTION annotation_overview_changed() RETURNS trigger
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

CREATE TRIGGER annotation_overview_added AFTER INSERT ON annotation
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_overview_added();
CREATE TRIGGER annotation_overview_removed AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_overview_removed();
CREATE TRIGGER annotation_overview_changed AFTER UPDATE ON annotation
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION annotation_overview_changed();

-- Term links: an annotation counts once under a term however many users gave it that term,
-- so only the first link of a pair adds and only the last one removed subtracts. Links are
-- never updated in place (a term change deletes and inserts links).
-- Transition tables have no statistics: LATERAL keeps the lookups of the annotation on its
-- primary key (a hash join could scan every annotation of the database per statement).
CREATE FUNCTION annotation_overview_term_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(p.term_id),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(1)
    )
    FROM (SELECT annotation_id, term_id, count(*) AS n FROM added GROUP BY 1, 2) AS p
    CROSS JOIN LATERAL (
        SELECT * FROM annotation AS x WHERE x.id = p.annotation_id AND x.kind = 'user'
    ) AS a
    WHERE p.n = (
        SELECT count(*) FROM annotation_term AS t
        WHERE t.annotation_id = p.annotation_id AND t.term_id = p.term_id
    )
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION annotation_overview_term_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(p.term_id),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(-1)
    )
    FROM (SELECT DISTINCT annotation_id, term_id FROM removed) AS p
    CROSS JOIN LATERAL (
        SELECT * FROM annotation AS x WHERE x.id = p.annotation_id AND x.kind = 'user'
    ) AS a
    WHERE NOT EXISTS (
        SELECT 1 FROM annotation_term AS t
        WHERE t.annotation_id = p.annotation_id AND t.term_id = p.term_id
    )
    HAVING count(*) > 0;
    IF to_regclass('pg_temp.annotation_overview_gone') IS NOT NULL THEN
        PERFORM annotation_overview_apply(
            array_agg(g.image_id), array_agg(g.user_id), array_agg(p.term_id), array_agg(g.x),
            array_agg(g.y), array_agg(-1)
        )
        FROM (SELECT DISTINCT annotation_id, term_id FROM removed) AS p
        JOIN pg_temp.annotation_overview_gone AS g ON g.id = p.annotation_id
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER annotation_overview_term_added AFTER INSERT ON annotation_term
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_overview_term_added();
CREATE TRIGGER annotation_overview_term_removed AFTER DELETE ON annotation_term
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_overview_term_removed();

-- Existing annotations and their terms.
SELECT annotation_overview_apply(
    array_agg(a.image_id), array_agg(a.user_id), array_agg(0::bigint),
    array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(1)
)
FROM annotation AS a
WHERE a.kind = 'user'
HAVING count(*) > 0;
SELECT annotation_overview_apply(
    array_agg(a.image_id), array_agg(a.user_id), array_agg(p.term_id),
    array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(1)
)
FROM (SELECT DISTINCT annotation_id, term_id FROM annotation_term) AS p
JOIN annotation AS a ON a.id = p.annotation_id AND a.kind = 'user'
HAVING count(*) > 0;
