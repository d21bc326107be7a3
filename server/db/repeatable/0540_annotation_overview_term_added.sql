-- Term links: an annotation counts once under a term however many users gave it that term,
-- so only the first link of a pair adds and only the last one removed subtracts. Links are
-- never updated in place (a term change deletes and inserts links).
-- Transition tables have no statistics: LATERAL keeps the lookups of the annotation on its
-- primary key (a hash join could scan every annotation of the database per statement).
-- Skipped when the bulk writer logs the changes itself (see annotation_overview_added).
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
