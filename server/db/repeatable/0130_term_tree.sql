-- The term tree widget nodes under parent_id (NULL: the roots), children sorted by name.
-- plpgsql because the function calls itself; cycles are refused when links are created,
-- and the depth guard keeps a corrupted table from recursing forever.
CREATE OR REPLACE FUNCTION term_tree(o_id bigint, parent_id bigint, depth integer DEFAULT 0)
RETURNS json
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF depth > 50 THEN
        RETURN '[]'::json;
    END IF;
    RETURN (
        SELECT coalesce(json_agg(n.node ORDER BY n.name, n.id), '[]'::json)
        FROM (
            SELECT t.name, t.id, json_build_object(
                'name', t.name,
                'id', t.id,
                'title', t.name,
                'data', t.name,
                'color', t.color,
                'class', 'be.cytomine.domain.ontology.Term',
                'parent', parent_id,
                'attr', json_build_object('id', t.id, 'type', 'be.cytomine.domain.ontology.Term'),
                'checked', false,
                'key', t.id,
                'children', term_tree(o_id, t.id, depth + 1),
                'isFolder', c.has_children,
                'hideCheckbox', c.has_children
            ) AS node
            FROM term AS t
            CROSS JOIN LATERAL (
                SELECT EXISTS (
                    SELECT 1
                    FROM relation_term AS rt
                    JOIN relation AS r ON r.id = rt.relation_id AND r.name = 'parent'
                    WHERE rt.term1_id = t.id
                ) AS has_children
            ) AS c
            WHERE t.ontology_id = o_id
                AND (
                    (parent_id IS NULL AND term_parent(t.id) IS NULL)
                    OR (parent_id IS NOT NULL AND EXISTS (
                        SELECT 1
                        FROM relation_term AS rt
                        JOIN relation AS r ON r.id = rt.relation_id AND r.name = 'parent'
                        WHERE rt.term1_id = parent_id AND rt.term2_id = t.id
                    ))
                )
        ) AS n
    );
END
$$;
