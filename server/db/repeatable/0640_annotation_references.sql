CREATE OR REPLACE FUNCTION annotation_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_parents(
        'image_instance', array(SELECT DISTINCT image_id FROM added), 'annotation'
    );
    PERFORM require_parents(
        'slice_instance', array(SELECT DISTINCT slice_id FROM added), 'annotation'
    );
    PERFORM require_parents('project', array(SELECT DISTINCT project_id FROM added), 'annotation');
    PERFORM require_parents('sec_user', array(
        SELECT user_id FROM added UNION SELECT reviewer_id FROM added WHERE reviewer_id IS NOT NULL
    ), 'annotation');
    RETURN NULL;
END
$$;
