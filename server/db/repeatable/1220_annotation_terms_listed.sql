-- The term group of one annotation as the annotation listing writes it (the `term` group of
-- GET /api/annotation.json): `,"term":[ids],"userByTerm":[{"id":link,"term":t,"user":[u]},...]`
-- in (term, link) order, plus `,"rate":` the first link's rate on an algo row. A reviewed row's
-- links show id 0 and the row's own user, as Cytomine's. NULL when the annotation is absent.
-- The one definition of the group: the listing computes it for rows whose annotation.terms_listed
-- is NULL, and annotation_terms_relist keeps that column with it.
CREATE OR REPLACE FUNCTION annotation_terms_listed(annotation_id bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        (
            SELECT concat(
                ',"term":[', array_to_string(array_agg(DISTINCT t.term_id), ','),
                '],"userByTerm":[', string_agg(concat(
                    '{"id":', CASE WHEN a.kind = 'reviewed' THEN 0 ELSE t.id END,
                    ',"term":', t.term_id,
                    ',"user":[', CASE WHEN a.kind = 'reviewed' THEN a.user_id ELSE t.user_id END,
                    ']}'
                ), ',' ORDER BY t.term_id, t.id), ']',
                CASE WHEN a.kind = 'algo' THEN concat(',"rate":', coalesce(
                    (array_agg(t.rate ORDER BY t.term_id, t.id))[1]::text, 'null'
                )) END
            )
            FROM annotation_term AS t WHERE t.annotation_id = a.id
        ),
        concat(',"term":[],"userByTerm":[]', CASE WHEN a.kind = 'algo' THEN ',"rate":null' END)
    )
    FROM annotation AS a WHERE a.id = $1
$$;
