-- Give a role to a user (a duplicate raises a unique violation).
-- $1 user_id bigint, $2 role_id bigint
-- -> id
INSERT INTO sec_user_sec_role (user_id, role_id)
VALUES ($1, $2)
RETURNING id
