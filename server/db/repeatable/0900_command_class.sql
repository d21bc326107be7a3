CREATE OR REPLACE FUNCTION command_class(type text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT 'be.cytomine.domain.command.' || initcap(type) || 'Command' $$;
