-- A run's account goes with its job: its annotations and term links first (the account's
-- own references would refuse the deletion; the annotations that lose a link and stay are
-- relisted), counted out of their projects and images and with what they take with them, and
-- out of the overview (the links first, then the annotations with the terms still linked by
-- others), then the account itself, refused while a reviewed copy of its annotations still
-- names it.
CREATE OR REPLACE FUNCTION user_job_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gone bigint [];
    linked bigint [];
BEGIN
    WITH t AS (
        DELETE FROM annotation_term WHERE user_id IN (SELECT id FROM removed)
        RETURNING annotation_id, term_id
    ),

    o AS (
        SELECT annotation_overview_links(
            array_agg(t.annotation_id), array_agg(t.term_id), array_agg(-1)
        )
        FROM t
    )

    SELECT array_agg(DISTINCT t.annotation_id) INTO linked FROM t, o;
    WITH a AS (
        DELETE FROM annotation
        WHERE user_id IN (SELECT id FROM removed) AND kind <> 'reviewed'
        RETURNING id, project_id, image_id, user_id, kind, parent_id,
            annotation_overview_x(location) AS x, annotation_overview_y(location) AS y
    ),

    w AS (
        SELECT annotation_rows_written(
            array_agg(a.id), array_agg(a.project_id), array_agg(a.image_id), array_agg(a.user_id),
            array_agg(a.kind), array_agg(a.parent_id), array_agg(a.x), array_agg(a.y), -1
        )
        FROM a
    )

    SELECT array_agg(a.id) INTO gone FROM a, w;
    PERFORM removed_cascade(annotations => gone);
    PERFORM annotation_terms_relist(linked);
    DELETE FROM sec_user WHERE id IN (SELECT id FROM removed);
    PERFORM removed_cascade(users => array(SELECT id FROM removed));
    RETURN NULL;
END
$$;
