CREATE OR REPLACE FUNCTION annotation_overview_y(g geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (st_ymin(g) + st_ymax(g)) / 2 $$;
