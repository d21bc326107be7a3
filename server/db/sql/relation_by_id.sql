-- One relation kind.
-- $1 relation_id bigint
-- -> json text (Relation object)
SELECT row_to_json(v)::text
FROM api_relation AS v
WHERE v.id = $1
