-- The term group of one annotation as the annotation listing writes it (the `term` group of
-- GET /api/annotation.json): `,"term":[ids],"userByTerm":[{"id":link,"term":t,"user":[u]},...]`
-- in (term, link) order, plus `,"rate":` the first link's rate on an algo row. A reviewed row's
-- links show id 0 and the row's own user (owner), as Cytomine's.
-- The one definition of the group: the listing computes it for rows whose
-- annotation.terms_listed is NULL, and annotation_terms_relist keeps that column with it.
-- One row, but a set-returning SQL function on purpose: PostgreSQL inlines it where it is
-- called in FROM (a scalar SQL function holding a subquery is never inlined, and its call
-- cost ~2.5x the subquery per listed row). The row's kind and owner are passed, not looked up
-- (a lookup costs another probe of annotation per row).
CREATE OR REPLACE FUNCTION annotation_terms_listed(
    annotation_id bigint, kind text, owner bigint
) RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        (
            SELECT concat(
                ',"term":[', array_to_string(array_agg(DISTINCT t.term_id), ','),
                '],"userByTerm":[', string_agg(concat(
                    '{"id":', CASE WHEN $2 = 'reviewed' THEN 0 ELSE t.id END,
                    ',"term":', t.term_id,
                    ',"user":[', CASE WHEN $2 = 'reviewed' THEN $3 ELSE t.user_id END, ']}'
                ), ',' ORDER BY t.term_id, t.id), ']',
                CASE WHEN $2 = 'algo' THEN concat(',"rate":', coalesce(
                    (array_agg(t.rate ORDER BY t.term_id, t.id))[1]::text, 'null'
                )) END
            )
            FROM annotation_term AS t WHERE t.annotation_id = $1
        ),
        concat(',"term":[],"userByTerm":[]', CASE WHEN $2 = 'algo' THEN ',"rate":null' END)
    )
$$;
