-- The rank of a role (1 guest .. 4 super admin).
-- $1 role_id bigint
-- -> rank integer
SELECT rank FROM sec_role WHERE id = $1
