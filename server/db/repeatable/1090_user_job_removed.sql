-- A run's account goes with its job: its annotations and term links first (the account's
-- own references would refuse the deletion), then the account itself.
CREATE OR REPLACE FUNCTION user_job_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM annotation_term WHERE user_id IN (SELECT id FROM removed);
    DELETE FROM annotation
    WHERE user_id IN (SELECT id FROM removed) AND kind <> 'reviewed';
    DELETE FROM sec_user WHERE id IN (SELECT id FROM removed);
    RETURN NULL;
END
$$;
