-- Record the term links a statement added (n = 1) or removed (n = -1), one per array position
-- (pairs may repeat). An annotation counts once under a term however many users gave it that
-- term: a pair (annotation, term) adds when its first link comes and subtracts when its last
-- one goes. Called by the writing statement once its writes are done (a CTE reading the rows
-- they returned), so the links it counts are those left after them, and those before are
-- these minus the statement's net change: a statement may add and remove links of one pair.
-- Only user annotations count; a link of a deleted annotation finds nothing (the annotation's
-- delete counted its terms out: annotation_overview_rows). The arrays have no statistics:
-- the LIMIT keeps the lookup of each annotation a subquery of its own, on the primary key
-- (joined, the annotation table could be scanned whole once per statement).
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_overview_links(
    link_annotations bigint [], link_terms bigint [], ns integer []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(p.term_id),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(c.change)
    )
    FROM (
        SELECT l.annotation_id, l.term_id, sum(l.n)::bigint AS net
        FROM unnest(link_annotations, link_terms, ns) AS l (annotation_id, term_id, n)
        GROUP BY 1, 2
    ) AS p
    CROSS JOIN LATERAL (
        SELECT count(*) AS held FROM annotation_term AS t
        WHERE t.annotation_id = p.annotation_id AND t.term_id = p.term_id
    ) AS s
    CROSS JOIN LATERAL (
        SELECT (s.held > 0)::integer - (s.held - p.net > 0)::integer AS change
    ) AS c
    CROSS JOIN LATERAL (
        SELECT x.image_id, x.user_id, x.location FROM annotation AS x
        WHERE x.id = p.annotation_id AND x.kind = 'user'
        LIMIT 1
    ) AS a
    WHERE c.change <> 0
    HAVING count(*) > 0;
END
$$;
