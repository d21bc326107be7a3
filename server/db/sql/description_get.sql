-- The description of one object (no row: none).
-- $1 domain_class_name text, $2 domain_ident bigint -> obj text (Description JSON)
SELECT row_to_json(v)::text AS obj
FROM api_description AS v
WHERE v."domainIdent" = $2 AND v."domainClassName" = $1
