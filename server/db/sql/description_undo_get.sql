-- One description by id (no row: none).
-- $1 description_id bigint -> obj text (Description JSON)
SELECT row_to_json(v)::text AS obj
FROM api_description AS v
WHERE v.id = $1
