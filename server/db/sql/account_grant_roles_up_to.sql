-- Give an account every role up to a rank (Cytomine admins also hold ROLE_USER, ...).
-- $1 user_id bigint, $2 rank integer (1 guest .. 4 super admin)
INSERT INTO sec_user_sec_role (user_id, role_id)
SELECT $1, r.id
FROM sec_role AS r
WHERE r.rank <= $2 AND (r.rank >= 2 OR $2 = 1)
ON CONFLICT (user_id, role_id) DO NOTHING
