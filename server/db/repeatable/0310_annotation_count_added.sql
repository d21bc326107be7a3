-- The annotation counters of the rows a statement inserts, counted in once per statement (a
-- bulk insert of 10k rows updates each counter once): see annotation_count_change.
CREATE OR REPLACE FUNCTION annotation_count_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_count_change(
        array_agg(a.project_id), array_agg(a.image_id), array_agg(a.kind), 1
    )
    FROM added AS a
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;
