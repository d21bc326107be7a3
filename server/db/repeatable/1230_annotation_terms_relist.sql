-- Keep annotation.terms_listed of these annotations (absent ones are skipped): the statement
-- right after any change of their term links runs it, in the same transaction (the Python
-- side through server/db/store/terms_listed.py). Rows whose kept group is already right are
-- not rewritten.
CREATE OR REPLACE FUNCTION annotation_terms_relist(annotation_ids bigint []) RETURNS void
LANGUAGE sql AS $$
    UPDATE annotation AS a
    SET terms_listed = n.listed
    FROM (
        SELECT b.id, l.listed
        FROM annotation AS b
        CROSS JOIN LATERAL annotation_terms_listed(b.id, b.kind, b.user_id) AS l (listed)
        WHERE b.id = ANY($1)
    ) AS n
    WHERE a.id = n.id AND a.terms_listed IS DISTINCT FROM n.listed
$$;
