-- Parents going away. The annotation's own cascade to its term links runs after its
-- overview trigger (triggers of one event fire in name order: "annotation_overview_removed"
-- < "annotation_terms_cascade"), which keeps the places the term links' trigger needs.
CREATE OR REPLACE FUNCTION annotation_parents_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
        WHEN 'image_instance' THEN
            DELETE FROM annotation WHERE image_id IN (SELECT id FROM removed);
        WHEN 'slice_instance' THEN
            DELETE FROM annotation WHERE slice_id IN (SELECT id FROM removed);
        WHEN 'project' THEN
            DELETE FROM annotation WHERE project_id IN (SELECT id FROM removed);
        WHEN 'annotation' THEN
            DELETE FROM annotation_term WHERE annotation_id IN (SELECT id FROM removed);
        WHEN 'term' THEN
            DELETE FROM annotation_term WHERE term_id IN (SELECT id FROM removed);
            UPDATE annotation_term SET expected_term_id = NULL
            WHERE expected_term_id IN (SELECT id FROM removed);
        WHEN 'sec_user' THEN
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation', 'user_id'
            );
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation', 'reviewer_id'
            );
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation_term', 'user_id'
            );
    END CASE;
    RETURN NULL;
END
$$;
