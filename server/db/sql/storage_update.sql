-- Edit a storage; a new owner administers it. A NULL keeps the stored value.
-- $1 storage_id bigint, $2 name text, $3 user_id bigint (owner)
-- -> id
WITH changed AS (
    UPDATE storage
    SET name = coalesce($2, name), user_id = coalesce($3, user_id), updated = now()
    WHERE id = $1
    RETURNING id, user_id
),

owner AS (
    INSERT INTO storage_member (storage_id, user_id, permission)
    SELECT id, user_id, 'ADMINISTRATION' FROM changed WHERE user_id IS NOT NULL
    ON CONFLICT (storage_id, user_id) DO UPDATE SET permission = 'ADMINISTRATION'
)

SELECT id FROM changed
