-- Refuse to delete parents that rows of child still name in column.
CREATE OR REPLACE FUNCTION refuse_referenced(parent regclass, ids bigint [], child regclass, col text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    used bigint;
BEGIN
    EXECUTE format('SELECT %I FROM %s WHERE %I = ANY ($1) LIMIT 1', col, child, col)
    INTO used USING ids;
    IF used IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on % violates a reference from %', parent, child
        USING ERRCODE = 'foreign_key_violation',
        CONSTRAINT = format('%s_%s_ref', child, col),
        DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', used, child);
    END IF;
END
$$;
