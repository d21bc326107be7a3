-- A run's account goes with its job: its annotations and term links first (the account's
-- own references would refuse the deletion; the annotations that lose a link and stay are
-- relisted), counted out of their projects and images and with
-- what they take with them, then the account itself, refused while a reviewed copy of its
-- annotations still names it.
CREATE OR REPLACE FUNCTION user_job_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gone bigint [];
    linked bigint [];
BEGIN
    WITH d AS (
        DELETE FROM annotation_term WHERE user_id IN (SELECT id FROM removed)
        RETURNING annotation_id
    )
    SELECT array_agg(DISTINCT d.annotation_id) INTO linked FROM d;
    WITH a AS (
        DELETE FROM annotation
        WHERE user_id IN (SELECT id FROM removed) AND kind <> 'reviewed'
        RETURNING id, project_id, image_id, kind
    ),

    c AS (
        SELECT annotation_count_change(
            array_agg(a.project_id), array_agg(a.image_id), array_agg(a.kind), -1
        )
        FROM a
    )

    SELECT array_agg(a.id) INTO gone FROM a, c;
    PERFORM removed_cascade(annotations => gone);
    PERFORM annotation_terms_relist(linked);
    DELETE FROM sec_user WHERE id IN (SELECT id FROM removed);
    PERFORM removed_cascade(users => array(SELECT id FROM removed));
    RETURN NULL;
END
$$;
