-- One batch of the background relist (server/db/terms_relist.py, through
-- server/db/sql/annotation_terms_relist_batch.sql): the next annotations by id after
-- start_after (up to last_id, at most batch_size of them); those whose kept term group is NULL
-- get it, the others are only read (a group already kept is never rewritten).
-- Returns where the next batch starts (after_id: the last id looked at, or just before the
-- first NULL row a writer held), the rows looked at (examined; 0: the pass is done) and the
-- rows given their group (relisted).
-- The rows are looked at without a lock, then the NULL ones are claimed one image at a time by
-- a query that names the image (on a Citus cluster a row lock is only taken by a query that
-- names one shard, docs/scale-out.md), with SKIP LOCKED: the batch never waits for a writer,
-- so it can neither deadlock with one (a bulk term change relisting many rows in another
-- order) nor hold its own locks while waiting. A writer waits for a claimed row at most one
-- batch.
-- The claim re-reads each row at its newest version: a row a writer gave its group since it
-- was looked at is no longer NULL and is left alone; one it still holds is skipped and the
-- next batch starts at it. A writer that changes links of a claimed row after the claim
-- relists it in its own transaction once this one commits (its statement then reads this
-- group and its own links), so its change is never lost.
CREATE OR REPLACE FUNCTION annotation_terms_relist_batch(
    start_after bigint,
    last_id bigint,
    batch_size integer
) RETURNS TABLE (after_id bigint, examined bigint, relisted bigint)
LANGUAGE plpgsql AS $$
DECLARE
    last_seen bigint;
    todo_ids bigint [];
    todo_images bigint [];
    img bigint;
    img_ids bigint [];
    written bigint;
    held bigint;
    first_held bigint;
BEGIN
    SELECT
        count(*),
        max(e.id),
        array_agg(e.id) FILTER (WHERE e.unlisted),
        array_agg(e.image_id) FILTER (WHERE e.unlisted)
    INTO examined, last_seen, todo_ids, todo_images
    FROM (
        SELECT a.id, a.image_id, a.terms_listed IS NULL AS unlisted
        FROM annotation AS a
        WHERE a.id > start_after AND a.id <= last_id
        ORDER BY a.id
        LIMIT batch_size
    ) AS e;
    relisted := 0;
    FOR img, img_ids IN
        SELECT u.image_id, array_agg(u.id)
        FROM unnest(todo_ids, todo_images) AS u (id, image_id)
        GROUP BY u.image_id
        ORDER BY u.image_id
    LOOP
        WITH claimed AS MATERIALIZED (
            SELECT a.id, a.kind, a.user_id
            FROM annotation AS a
            WHERE a.image_id = img AND a.id = ANY (img_ids) AND a.terms_listed IS NULL
            FOR NO KEY UPDATE OF a SKIP LOCKED
        ),

        rewritten AS (
            UPDATE annotation AS a
            SET terms_listed = l.listed
            FROM claimed AS c
            CROSS JOIN LATERAL annotation_terms_listed(c.id, c.kind, c.user_id) AS l (listed)
            WHERE a.id = c.id AND a.image_id = img
            RETURNING a.id
        )

        SELECT
            (SELECT count(*) FROM rewritten),
            (
                SELECT min(h.id)
                FROM (
                    SELECT unnest(img_ids) AS id
                    EXCEPT
                    SELECT c.id FROM claimed AS c
                ) AS h
            )
        INTO written, held;
        relisted := relisted + written;
        first_held := least(first_held, held);
    END LOOP;
    after_id := coalesce(first_held - 1, last_seen, start_after);
    RETURN NEXT;
END
$$;
