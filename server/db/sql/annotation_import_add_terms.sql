-- Add the class names an import met to the project's ontology (names already there are kept
-- as they are), record one ADD command per new term, and answer the id of every name asked.
-- $1 ontology_id bigint, $2 names text[], $3 colors text[] ('#RRGGBB', one per name),
-- $4 user_id bigint, $5 project_id bigint -> id bigint, name text
WITH added AS (
    INSERT INTO term (name, ontology_id, color)
    SELECT u.name, $1, u.color
    FROM unnest($2::text [], $3::text []) AS u (name, color)
    ON CONFLICT (ontology_id, name) DO NOTHING
    RETURNING id, name, color, created
),

recorded AS (
    INSERT INTO command (user_id, project_id, type, class_name, object_id, data)
    SELECT
        $4, $5, 'ADD', 'be.cytomine.domain.ontology.Term', added.id,
        jsonb_build_object(
            'class', 'be.cytomine.domain.ontology.Term', 'id', added.id, 'name', added.name,
            'ontology', $1::bigint, 'color', added.color, 'created', epoch_ms(added.created)
        )
    FROM added
)

SELECT added.id, added.name FROM added
UNION ALL
SELECT te.id, te.name FROM term AS te WHERE te.ontology_id = $1 AND te.name = any($2::text [])
