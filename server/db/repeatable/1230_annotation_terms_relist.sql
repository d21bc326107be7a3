-- Keep annotation.terms_listed of these annotations (absent ones are skipped): the statement
-- right after any change of their term links runs it, in the same transaction (the Python
-- side through server/db/store/terms_listed.py). Rows whose kept group is already right are
-- not rewritten.
CREATE OR REPLACE FUNCTION annotation_terms_relist(annotation_ids bigint []) RETURNS void
LANGUAGE sql AS $$
    UPDATE annotation AS a
    SET terms_listed = n.listed
    FROM (
        SELECT x.id, annotation_terms_listed(x.id) AS listed
        FROM (SELECT DISTINCT u.id FROM unnest($1) AS u (id)) AS x
    ) AS n
    WHERE a.id = n.id AND a.terms_listed IS DISTINCT FROM n.listed
$$;
