-- "Name (version)", or the name alone when there is no version (Software.fullName).
CREATE OR REPLACE FUNCTION software_full_name(name text, version text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN coalesce(btrim(version), '') = '' THEN name
        ELSE name || ' (' || version || ')'
    END
$$;
