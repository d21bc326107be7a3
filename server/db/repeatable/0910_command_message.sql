CREATE OR REPLACE FUNCTION command_message(type text, class_name text, object_id bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT command_simple_class(class_name) || ' ' || object_id || ' '
        || CASE type WHEN 'ADD' THEN 'added' WHEN 'EDIT' THEN 'edited' ELSE 'deleted' END
$$;
