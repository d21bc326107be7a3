-- One ontology with its term tree and projects.
-- $1 ontology_id bigint
-- -> json text (Ontology object)
SELECT row_to_json(v)::text
FROM api_ontology AS v
WHERE v.id = $1
