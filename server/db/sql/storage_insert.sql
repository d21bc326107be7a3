-- Create a storage; its owner administers it.
-- $1 name text, $2 user_id bigint (owner)
-- -> id
WITH created AS (
    INSERT INTO storage (name, user_id)
    VALUES ($1, $2)
    RETURNING id, user_id
),

owner AS (
    INSERT INTO storage_member (storage_id, user_id, permission)
    SELECT id, user_id, 'ADMINISTRATION' FROM created
)

SELECT id FROM created
