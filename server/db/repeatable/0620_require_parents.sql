-- Lock the rows of parent whose ids are given and fail with a foreign key violation naming
-- the first missing one, as a foreign key would (FOR KEY SHARE: a concurrent delete of a
-- parent waits for the writer, and a writer after a delete finds the parent gone). The ids
-- may repeat and hold NULLs (a NULL reference names nothing): callers pass a statement's
-- written column as it is.
-- The lookup of each table the schema checks this way is written out, so that the session
-- keeps its plan: a query text built with format() was parsed and planned on every call, six
-- times for each statement writing annotations and their term links. Any other table is
-- looked up that way still.
CREATE OR REPLACE FUNCTION require_parents(parent regclass, ids bigint [], child text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint [] := array(SELECT DISTINCT i FROM unnest(ids) AS i WHERE i IS NOT NULL);
    found bigint;
    missing bigint;
BEGIN
    IF cardinality(wanted) = 0 THEN
        RETURN;
    END IF;
    CASE parent
        WHEN 'image_instance'::regclass THEN
            SELECT count(*) INTO found FROM (
                SELECT FROM image_instance WHERE id = ANY (wanted) FOR KEY SHARE
            ) AS p;
        WHEN 'slice_instance'::regclass THEN
            SELECT count(*) INTO found FROM (
                SELECT FROM slice_instance WHERE id = ANY (wanted) FOR KEY SHARE
            ) AS p;
        WHEN 'project'::regclass THEN
            SELECT count(*) INTO found FROM (
                SELECT FROM project WHERE id = ANY (wanted) FOR KEY SHARE
            ) AS p;
        WHEN 'sec_user'::regclass THEN
            SELECT count(*) INTO found FROM (
                SELECT FROM sec_user WHERE id = ANY (wanted) FOR KEY SHARE
            ) AS p;
        WHEN 'term'::regclass THEN
            SELECT count(*) INTO found FROM (
                SELECT FROM term WHERE id = ANY (wanted) FOR KEY SHARE
            ) AS p;
        ELSE
            EXECUTE format(
                'SELECT count(*) FROM (SELECT 1 FROM %s WHERE id = ANY ($1) FOR KEY SHARE) AS p',
                parent
            ) INTO found USING wanted;
    END CASE;
    IF found < cardinality(wanted) THEN
        EXECUTE format(
            'SELECT min(i) FROM unnest($1) AS i WHERE NOT EXISTS (SELECT FROM %s WHERE id = i)',
            parent
        ) INTO missing USING wanted;
        RAISE EXCEPTION 'insert or update on % violates its reference to %', child, parent
        USING ERRCODE = 'foreign_key_violation',
        CONSTRAINT = format('%s_%s_ref', child, parent),
        DETAIL = format('Key (id)=(%s) is not present in table "%s".', missing, parent);
    END IF;
END
$$;
