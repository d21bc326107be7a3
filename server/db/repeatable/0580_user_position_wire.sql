-- Wire shape shared by the history and the last positions.
CREATE OR REPLACE FUNCTION user_position_wire(
    class_name text, id bigint, created timestamptz, user_id bigint, image_id bigint,
    slice_id bigint, project_id bigint, zoom integer, rotation double precision,
    broadcast boolean, location geometry, x double precision, y double precision
) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT jsonb_build_object(
        'class', class_name, 'id', id, 'created', epoch_ms(created),
        'updated', epoch_ms(created), 'user', user_id, 'image', image_id, 'slice', slice_id,
        'project', project_id, 'zoom', zoom, 'rotation', rotation, 'broadcast', broadcast,
        'location', ST_AsText(location), 'x', x, 'y', y
    )
$$;
