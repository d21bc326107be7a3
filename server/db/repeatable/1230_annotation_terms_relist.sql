-- Keep annotation.terms_listed of these annotations (absent ones are skipped): the statement
-- right after any change of their term links runs it, in the same transaction (the Python
-- side through server/db/store/terms_listed.py). Rows whose kept group is already right are
-- not rewritten.
-- PL/pgSQL with a generic plan: a session then plans the UPDATE once, where a SQL function
-- plans its body on every call, and so would PL/pgSQL's custom plans (the generic plan's
-- estimate for an array of ids is never cheaper): ~0.3 ms a call, as much as the UPDATE.
CREATE OR REPLACE FUNCTION annotation_terms_relist(annotation_ids bigint []) RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    UPDATE annotation AS a
    SET terms_listed = n.listed
    FROM (
        SELECT b.id, b.image_id, l.listed
        FROM annotation AS b
        CROSS JOIN LATERAL annotation_terms_listed(b.id, b.kind, b.user_id) AS l (listed)
        WHERE b.id = ANY (annotation_ids)
    ) AS n
    WHERE a.id = n.id AND a.image_id = n.image_id AND a.terms_listed IS DISTINCT FROM n.listed;
END
$$;
