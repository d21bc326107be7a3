-- Which of the given term ids belong to the ontology of a project.
-- $1 term_ids bigint[], $2 project_id bigint -> known bigint[] (NULL when none)
SELECT array_agg(t.id)
FROM term AS t
JOIN project AS p ON p.ontology_id = t.ontology_id
WHERE t.id = ANY($1) AND p.id = $2
