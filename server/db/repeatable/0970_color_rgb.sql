-- A '#RRGGBB' colour as a JSON [r, g, b] array of 0-255 integers (NULL for any other text).
CREATE OR REPLACE FUNCTION color_rgb(color text) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN color ~ '^#[0-9A-Fa-f]{6}$' THEN json_build_array(
        ('x' || substr(color, 2, 2))::bit(8)::int,
        ('x' || substr(color, 4, 2))::bit(8)::int,
        ('x' || substr(color, 6, 2))::bit(8)::int
    ) END
$$;
