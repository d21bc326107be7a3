-- Record that annotations were added (n = 1) or removed (n = -1) at (x, y) (the centre,
-- annotation_overview_x/y), one per array position: each user annotation counts under term 0
-- and under each term it has (however many users gave it), other kinds not at all. A moved
-- annotation is removed at its old place and added at its new one, terms included.
-- Called by the statement that writes the annotations, in a CTE that reads the rows its
-- write returned: the term links are read when it runs, after that write (a new annotation
-- has none yet; a deleted one keeps its links until removed_cascade removes them, which then
-- finds no annotation to count them out of: see annotation_overview_links).
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_overview_rows(
    ids bigint [], image_ids bigint [], user_ids bigint [], kinds text [],
    xs double precision [], ys double precision [], ns integer []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(r.image_id), array_agg(r.user_id), array_agg(k.term_id), array_agg(r.x),
        array_agg(r.y), array_agg(r.n)
    )
    FROM unnest(ids, image_ids, user_ids, kinds, xs, ys, ns)
        AS r (id, image_id, user_id, kind, x, y, n)
    CROSS JOIN LATERAL (
        SELECT 0::bigint AS term_id
        UNION
        SELECT t.term_id FROM annotation_term AS t WHERE t.annotation_id = r.id
    ) AS k
    WHERE r.kind = 'user'
    HAVING count(*) > 0;
END
$$;
