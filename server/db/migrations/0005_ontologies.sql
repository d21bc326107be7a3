-- Ontologies, terms and relations: access rules and wire views.
-- An ontology is readable by its creator, by members of projects using it and by admins;
-- writable by its creator, by managers of projects using it and by admins (guests never write).

CREATE INDEX relation_term_term1_idx ON relation_term (term1_id);

CREATE FUNCTION ontology_readable(o_id bigint, u_id bigint, is_admin boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin
        OR EXISTS (SELECT 1 FROM ontology AS o WHERE o.id = o_id AND o.user_id = u_id)
        OR EXISTS (
            SELECT 1
            FROM project AS p
            JOIN project_member AS m ON m.project_id = p.id
            WHERE p.ontology_id = o_id AND m.user_id = u_id
        )
$$;

CREATE FUNCTION ontology_writable(o_id bigint, u_id bigint, is_admin boolean, is_guest boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT NOT is_guest AND (
        is_admin
        OR EXISTS (SELECT 1 FROM ontology AS o WHERE o.id = o_id AND o.user_id = u_id)
        OR EXISTS (
            SELECT 1
            FROM project AS p
            JOIN project_member AS m ON m.project_id = p.id
            WHERE p.ontology_id = o_id AND m.user_id = u_id AND m.is_manager
        )
    )
$$;

-- The parent of a term: term1 of its first 'parent' link (a term normally has one).
CREATE FUNCTION term_parent(t_id bigint)
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

-- The term tree widget nodes under parent_id (NULL: the roots), children sorted by name.
-- plpgsql because the function calls itself; cycles are refused when links are created,
-- and the depth guard keeps a corrupted table from recursing forever.
CREATE FUNCTION term_tree(o_id bigint, parent_id bigint, depth integer DEFAULT 0)
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

CREATE VIEW api_term AS
SELECT
    'be.cytomine.domain.ontology.Term'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.comment,
    t.ontology_id AS ontology,
    t.color,
    term_parent(t.id) AS parent
FROM term AS t;

-- "projects" is built from the project table here (class, id, name, ontology and the
-- settings flags), not from the full project view, so it carries no computed counters.
CREATE VIEW api_ontology AS
SELECT
    'be.cytomine.domain.ontology.Ontology'::text AS "class",
    o.id,
    epoch_ms(o.created) AS created,
    epoch_ms(o.updated) AS updated,
    o.name,
    o.user_id AS "user",
    o.name AS title,
    json_build_object('id', o.id, 'type', 'be.cytomine.domain.ontology.Ontology') AS attr,
    o.name AS data,
    true AS "isFolder",
    o.id AS key,
    true AS "hideCheckbox",
    'open'::text AS state,
    (
        SELECT coalesce(json_agg(json_build_object(
            'class', 'be.cytomine.domain.project.Project',
            'id', p.id,
            'created', epoch_ms(p.created),
            'updated', epoch_ms(p.updated),
            'name', p.name,
            'ontology', p.ontology_id,
            'ontologyName', o.name,
            'blindMode', p.blind_mode,
            'areImagesDownloadable', p.are_images_downloadable,
            'isClosed', p.is_closed,
            'isReadOnly', p.is_read_only,
            'isRestricted', p.is_restricted,
            'hideUsersLayers', p.hide_users_layers,
            'hideAdminsLayers', p.hide_admins_layers
        ) ORDER BY p.id), '[]'::json)
        FROM project AS p
        WHERE p.ontology_id = o.id
    ) AS projects,
    term_tree(o.id, NULL) AS children
FROM ontology AS o;

CREATE VIEW api_relation AS
SELECT
    'be.cytomine.domain.ontology.Relation'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.name
FROM relation AS r;

CREATE VIEW api_relation_term AS
SELECT
    'be.cytomine.domain.ontology.RelationTerm'::text AS "class",
    rt.id,
    epoch_ms(rt.created) AS created,
    epoch_ms(rt.updated) AS updated,
    rt.relation_id AS relation,
    rt.term1_id AS term1,
    rt.term2_id AS term2
FROM relation_term AS rt;
