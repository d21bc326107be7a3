-- One user-role link.
-- $1 user_id bigint, $2 role_id bigint
-- -> json text (SecUserSecRole object)
SELECT row_to_json(v)::text
FROM api_sec_user_sec_role AS v
WHERE v."user" = $1 AND v.role = $2
