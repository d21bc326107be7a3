-- One application role.
-- $1 role_id bigint
-- -> json text (SecRole object)
SELECT row_to_json(v)::text
FROM api_sec_role AS v
WHERE v.id = $1
