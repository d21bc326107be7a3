-- The roles a user holds, lowest first.
-- $1 user_id bigint
-- -> json text (array of SecRole objects)
SELECT coalesce(json_agg(row_to_json(v) ORDER BY r.rank), '[]'::json)::text
FROM api_sec_role AS v
JOIN sec_role AS r ON r.id = v.id
JOIN sec_user_sec_role AS ur ON ur.role_id = r.id
WHERE ur.user_id = $1
