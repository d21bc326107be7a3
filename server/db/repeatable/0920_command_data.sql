-- The command's data as Cytomine's history shows it: an edit names the new object.
CREATE OR REPLACE FUNCTION command_data(type text, class_name text, data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN type = 'EDIT' THEN jsonb_build_object('new' || command_simple_class(class_name), data)::text
        ELSE data::text
    END
$$;
