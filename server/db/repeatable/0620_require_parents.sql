-- Lock the rows of parent whose ids are given (distinct, not null) and fail with a foreign
-- key violation naming the first missing one.
CREATE OR REPLACE FUNCTION require_parents(parent regclass, ids bigint [], child text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    found bigint;
    missing bigint;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    EXECUTE format(
        'SELECT count(*) FROM (SELECT 1 FROM %s WHERE id = ANY ($1) FOR KEY SHARE) AS p', parent
    ) INTO found USING ids;
    IF found < cardinality(ids) THEN
        EXECUTE format(
            'SELECT min(i) FROM unnest($1) AS i WHERE NOT EXISTS (SELECT FROM %s WHERE id = i)',
            parent
        ) INTO missing USING ids;
        RAISE EXCEPTION 'insert or update on % violates its reference to %', child, parent
        USING ERRCODE = 'foreign_key_violation',
        CONSTRAINT = format('%s_%s_ref', child, parent),
        DETAIL = format('Key (id)=(%s) is not present in table "%s".', missing, parent);
    END IF;
END
$$;
