-- Zoom levels of the normalized 256-px pyramid: tier 0 fits one tile, tier `zoom` is full
-- resolution (the Web UI's grid uses resolutions 2^zoom ... 1).
CREATE OR REPLACE FUNCTION normalized_zoom(width integer, height integer) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT count(*)::integer
    FROM generate_series(0, 30) AS k
    WHERE (256::bigint << k) < greatest(width, height)
$$;
