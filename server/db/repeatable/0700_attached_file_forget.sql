CREATE OR REPLACE FUNCTION attached_file_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attached_file AS f WHERE f.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
