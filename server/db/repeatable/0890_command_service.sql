CREATE OR REPLACE FUNCTION command_service(class_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT lower(left(command_simple_class(class_name), 1))
        || substr(command_simple_class(class_name), 2) || 'Service'
$$;
