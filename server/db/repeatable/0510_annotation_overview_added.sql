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
