-- Delete an ontology; its terms and their relation links go with it (ON DELETE CASCADE). The
-- store then runs removed_cascade with objects (the ontology and its terms, read before the
-- cascade removes them) and terms (their term links go).
-- $1 ontology_id bigint
-- -> id bigint, objects bigint[], terms bigint[]
--    (no row: a concurrent request deleted it first)
WITH gone AS (
    DELETE FROM ontology
    WHERE id = $1
    RETURNING id
),

terms AS (
    SELECT t.id FROM term AS t WHERE t.ontology_id IN (SELECT gone.id FROM gone)
)

SELECT
    gone.id,
    array(SELECT terms.id FROM terms) || gone.id AS objects,
    array(SELECT terms.id FROM terms) AS terms
FROM gone
