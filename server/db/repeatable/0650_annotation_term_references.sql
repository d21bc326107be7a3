CREATE OR REPLACE FUNCTION annotation_term_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_parents(
        'annotation', array(SELECT DISTINCT annotation_id FROM added), 'annotation_term'
    );
    PERFORM require_parents('term', array(
        SELECT term_id FROM added
        UNION SELECT expected_term_id FROM added WHERE expected_term_id IS NOT NULL
    ), 'annotation_term');
    PERFORM require_parents(
        'sec_user', array(SELECT DISTINCT user_id FROM added), 'annotation_term'
    );
    RETURN NULL;
END
$$;
