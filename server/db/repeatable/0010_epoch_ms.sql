-- Cytomine dates are strings of epoch milliseconds.
CREATE OR REPLACE FUNCTION epoch_ms(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT floor(extract(epoch FROM t) * 1000)::bigint::text $$;
