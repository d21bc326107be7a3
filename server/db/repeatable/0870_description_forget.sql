-- A description goes with its object, as its properties, tags and attached files.
CREATE OR REPLACE FUNCTION description_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM description AS d WHERE d.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
