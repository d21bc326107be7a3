-- Fold the pending changes of one image into every level and bump its version; answers how
-- many delta rows it took. One flush per image at a time (a transaction-scoped advisory lock
-- keyed on the image, so any number of server processes may call it): with wait, a reader
-- queues behind a running flush and then takes what is left (nothing, or what committed
-- since); without, a background pass skips an image another session is flushing.
CREATE OR REPLACE FUNCTION annotation_overview_flush(image bigint, wait boolean)
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
