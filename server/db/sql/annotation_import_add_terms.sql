-- Add the class names an import met to the project's ontology (names already there are kept
-- as they are) and answer the id of every name asked for.
-- $1 ontology_id bigint, $2 names text[], $3 colors text[] ('#RRGGBB', one per name)
-- -> id bigint, name text
WITH added AS (
    INSERT INTO term (name, ontology_id, color)
    SELECT u.name, $1, u.color
    FROM unnest($2::text [], $3::text []) AS u (name, color)
    ON CONFLICT (ontology_id, name) DO NOTHING
    RETURNING id, name
)
SELECT added.id, added.name FROM added
UNION ALL
SELECT te.id, te.name FROM term AS te WHERE te.ontology_id = $1 AND te.name = any($2::text [])
