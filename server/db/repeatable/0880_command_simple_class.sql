-- How Cytomine names a command's parts, from what Lamina records.
CREATE OR REPLACE FUNCTION command_simple_class(class_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT regexp_replace(class_name, '^.*\.', '') $$;
