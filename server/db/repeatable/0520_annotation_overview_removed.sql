-- A deleted annotation's term links are removed by the cascade before this trigger runs and
-- their own trigger runs after it, when the annotation is gone: the places of the deleted
-- annotations wait for it in a temporary table emptied at commit.
CREATE OR REPLACE FUNCTION annotation_overview_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_overview_apply(
        array_agg(a.image_id), array_agg(a.user_id), array_agg(0::bigint),
        array_agg(annotation_overview_x(a.location)), array_agg(annotation_overview_y(a.location)),
        array_agg(-1)
    )
    FROM removed AS a
    WHERE a.kind = 'user'
    HAVING count(*) > 0;
    IF to_regclass('pg_temp.annotation_overview_gone') IS NULL THEN
        CREATE TEMP TABLE annotation_overview_gone (
            id bigint, image_id bigint, user_id bigint, x double precision, y double precision
        ) ON COMMIT DELETE ROWS;
    END IF;
    INSERT INTO pg_temp.annotation_overview_gone
    SELECT a.id, a.image_id, a.user_id, annotation_overview_x(a.location),
        annotation_overview_y(a.location)
    FROM removed AS a
    WHERE a.kind = 'user';
    RETURN NULL;
END
$$;
