-- Metadata of an object goes with it (Cytomine deletes dependent properties and tags too).
-- Once per statement: a bulk delete of annotations costs one semi-join per table.
CREATE OR REPLACE FUNCTION domain_metadata_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM property AS p WHERE p.domain_ident IN (SELECT r.id FROM removed AS r);
    DELETE FROM tag_domain_association AS t
    WHERE t.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
