-- One CSV field (reports): always quoted, inner quotes doubled.
CREATE OR REPLACE FUNCTION csv_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '"' || replace(coalesce(t, ''), '"', '""') || '"' $$;
