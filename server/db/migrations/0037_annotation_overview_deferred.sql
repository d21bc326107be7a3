-- Overview upkeep off the write path. Upserting every changed cell at seven levels in each
-- writing statement (and bumping the image's version row, which serialised concurrent
-- writers of one image) cost about 40% of a bulk COPY. Writes now only append their changes,
-- grouped by finest-level cell, to annotation_overview_delta (plain inserts: no index
-- conflict, no lock another writer waits for); annotation_overview_flush(image) folds an
-- image's pending changes into every level and bumps its version, in one transaction.
-- Exactness: the table plus the committed deltas always equals the annotations (a delta
-- commits with the write it describes), so every reader of an image's aggregates flushes
-- that image first (overview, vector tiles, clustered listing); the server also flushes
-- every image with pending changes every few seconds (LAMINA_OVERVIEW_REFRESH_SECONDS), so
-- the table itself lags the annotations by at most that bound.

-- No foreign key (its per-row check would be paid by every write): the changes of an image
-- deleted before its flush are dropped by the next flush.
CREATE TABLE annotation_overview_delta (
    image_id bigint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    term_id bigint NOT NULL,
    user_id bigint NOT NULL,
    count integer NOT NULL,
    sum_x double precision NOT NULL,
    sum_y double precision NOT NULL
);
CREATE INDEX annotation_overview_delta_image_idx ON annotation_overview_delta (image_id);

-- Same arguments as before (every trigger of 0013 calls it unchanged): the changes grouped
-- into cells of the finest level, appended.
CREATE OR REPLACE FUNCTION annotation_overview_apply(
    image_ids bigint [], user_ids bigint [], term_ids bigint [],
    xs double precision [], ys double precision [], ns integer []
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO annotation_overview_delta
        (image_id, cx, cy, term_id, user_id, count, sum_x, sum_y)
    SELECT
        d.image_id,
        least(greatest(floor(d.x / 1024)::int, 0), (g.width - 1) >> 10),
        least(greatest(floor((g.height - d.y) / 1024)::int, 0), (g.height - 1) >> 10),
        d.term_id, d.user_id, sum(d.n)::int, sum(d.n * d.x), sum(d.n * d.y)
    FROM unnest(image_ids, user_ids, term_ids, xs, ys, ns)
        AS d (image_id, user_id, term_id, x, y, n)
    JOIN image_instance AS i ON i.id = d.image_id
    JOIN abstract_image AS g ON g.id = i.base_image_id
    GROUP BY 1, 2, 3, 4, 5;
$$;

-- Fold the pending changes of one image into every level and bump its version; answers how
-- many delta rows it took. One flush per image at a time (a transaction-scoped advisory lock
-- keyed on the image, so any number of server processes may call it): with wait, a reader
-- queues behind a running flush and then takes what is left (nothing, or what committed
-- since); without, a background pass skips an image another session is flushing.
CREATE FUNCTION annotation_overview_flush(image bigint, wait boolean)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    lock_key CONSTANT bigint := hashtextextended('annotation_overview_flush', image);
    taken bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM annotation_overview_delta AS d WHERE d.image_id = image) THEN
        RETURN 0;
    END IF;
    IF wait THEN
        PERFORM pg_advisory_xact_lock(lock_key);
    ELSIF NOT pg_try_advisory_xact_lock(lock_key) THEN
        RETURN 0;
    END IF;
    -- Keeps the image from being deleted until this flush commits; a deleted image's
    -- changes are dropped.
    PERFORM FROM image_instance AS i WHERE i.id = image FOR KEY SHARE;
    IF NOT FOUND THEN
        DELETE FROM annotation_overview_delta AS d WHERE d.image_id = image;
        RETURN 0;
    END IF;
    WITH gone AS (
        DELETE FROM annotation_overview_delta AS d WHERE d.image_id = image
        RETURNING d.cx, d.cy, d.term_id, d.user_id, d.count, d.sum_x, d.sum_y
    ), fine AS (
        SELECT g.cx, g.cy, g.term_id, g.user_id,
            sum(g.count) AS n, sum(g.sum_x) AS sx, sum(g.sum_y) AS sy
        FROM gone AS g
        GROUP BY 1, 2, 3, 4
    ), cells AS (
        SELECT l.level, f.cx >> (l.level - 10) AS cx, f.cy >> (l.level - 10) AS cy,
            f.term_id, f.user_id, sum(f.n)::int AS n, sum(f.sx) AS sx, sum(f.sy) AS sy
        FROM fine AS f CROSS JOIN unnest(annotation_overview_levels()) AS l (level)
        GROUP BY 1, 2, 3, 4, 5
    ), upserted AS (
        INSERT INTO annotation_overview AS o
            (image_id, level, cx, cy, term_id, user_id, count, sum_x, sum_y)
        SELECT image, c.level, c.cx, c.cy, c.term_id, c.user_id, c.n, c.sx, c.sy
        FROM cells AS c
        WHERE c.n <> 0 OR c.sx <> 0 OR c.sy <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (image_id, level, cx, cy, term_id, user_id) DO UPDATE
        SET count = o.count + excluded.count,
            sum_x = o.sum_x + excluded.sum_x,
            sum_y = o.sum_y + excluded.sum_y
    ), bumped AS (
        INSERT INTO annotation_overview_version AS v (image_id, version)
        VALUES (image, 1)
        ON CONFLICT (image_id) DO UPDATE SET version = v.version + 1
    )
    SELECT count(*) INTO taken FROM gone;
    RETURN taken;
END
$$;

-- A bulk writer (the binary COPY of array POSTs and imports) that logs the changes of the
-- annotations and term links it inserts itself, computed while it encodes them, sets
-- lamina.overview_logged to 'on' for its COPY statements: the two insert triggers then skip
-- the work (for the term links, a lookup of each annotation and of its other links of the
-- same term, which cost a bulk COPY more than the rest of the overview upkeep together).
-- Deletes and moves are always logged here.
CREATE OR REPLACE FUNCTION annotation_overview_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('lamina.overview_logged', true) = 'on' THEN
        RETURN NULL;
    END IF;
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

CREATE OR REPLACE FUNCTION annotation_overview_term_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('lamina.overview_logged', true) = 'on' THEN
        RETURN NULL;
    END IF;
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
