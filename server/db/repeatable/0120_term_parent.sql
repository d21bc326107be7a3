-- The parent of a term: term1 of its first 'parent' link (a term normally has one).
CREATE OR REPLACE FUNCTION term_parent(t_id bigint)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT rt.term1_id
    FROM relation_term AS rt
    JOIN relation AS r ON r.id = rt.relation_id AND r.name = 'parent'
    WHERE rt.term2_id = t_id
    ORDER BY rt.id
    LIMIT 1
$$;
