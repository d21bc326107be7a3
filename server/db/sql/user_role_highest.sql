-- The highest role a user holds.
-- $1 user_id bigint
-- -> json text (SecRole object), no row when the user holds no role
SELECT row_to_json(v)::text
FROM api_sec_role AS v
JOIN sec_role AS r ON r.id = v.id
JOIN sec_user_sec_role AS ur ON ur.role_id = r.id
WHERE ur.user_id = $1
ORDER BY r.rank DESC
LIMIT 1
