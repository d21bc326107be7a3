-- One batch of the background relist (server/db/terms_relist.py): the next annotations by id
-- after $1 (up to $2, at most $3 of them); those whose kept term group is NULL get it, the
-- others are only read (a group already kept is never rewritten).
-- $1 after_id bigint
-- $2 until bigint: the pass's last id (annotation_id_last at its start)
-- $3 batch integer
-- -> one row: after_id bigint (where the next batch starts: the last id looked at, or just
--    before the first NULL row a writer held), examined bigint (rows looked at; 0: the pass
--    is done), relisted bigint (rows given their group)
-- The rows to write are locked first, with SKIP LOCKED: the batch never waits for a writer, so
-- it can neither deadlock with one (a bulk term change relisting many rows in another order)
-- nor hold its own locks while waiting. A writer waits for a claimed row at most one batch.
-- The claim re-reads each row at its newest version: a row a writer gave its group since this
-- statement's snapshot is no longer NULL and is left alone; one it still holds is skipped and
-- the next batch starts at it. A writer that changes links of a claimed row after the claim
-- relists it in its own transaction once this one commits (its statement then reads this
-- group and its own links), so its change is never lost.
WITH examined AS MATERIALIZED (
    SELECT
        a.id,
        a.image_id,
        a.terms_listed IS NULL AS unlisted
    FROM annotation AS a
    WHERE a.id > $1 AND a.id <= $2
    ORDER BY a.id
    LIMIT $3
),

claimed AS MATERIALIZED (
    SELECT
        a.id,
        a.image_id,
        a.kind,
        a.user_id
    FROM annotation AS a
    WHERE
        (a.id, a.image_id) IN (SELECT e.id, e.image_id FROM examined AS e WHERE e.unlisted)
        AND a.terms_listed IS NULL
    FOR NO KEY UPDATE OF a SKIP LOCKED
),

relisted AS (
    UPDATE annotation AS a
    SET terms_listed = l.listed
    FROM claimed AS c
    CROSS JOIN LATERAL annotation_terms_listed(c.id, c.kind, c.user_id) AS l (listed)
    WHERE a.id = c.id AND a.image_id = c.image_id
    RETURNING a.id
)

SELECT
    coalesce(
        (
            SELECT min(e.id) - 1
            FROM examined AS e
            WHERE e.unlisted AND NOT EXISTS (SELECT FROM claimed AS c WHERE c.id = e.id)
        ),
        (SELECT max(e.id) FROM examined AS e),
        $1
    ) AS after_id,
    (SELECT count(*) FROM examined) AS examined,
    (SELECT count(*) FROM relisted) AS relisted
