CREATE OR REPLACE FUNCTION annotation_overview_term_removed() RETURNS trigger
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
