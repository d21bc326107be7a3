CREATE OR REPLACE FUNCTION annotation_links_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM annotation_link AS l WHERE l.annotation_id IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
