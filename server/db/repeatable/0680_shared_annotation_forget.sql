-- Comments go with their annotation (Cytomine deletes dependent shared annotations).
CREATE OR REPLACE FUNCTION shared_annotation_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM shared_annotation AS s WHERE s.annotation_id IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
