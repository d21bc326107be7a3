-- An invited account: its password must be chosen at first login; answer the user object.
-- $1 user_id bigint -> json text (User)
WITH expired AS (
    UPDATE sec_user SET password_expired = true
    WHERE id = $1
    RETURNING id
)

SELECT row_to_json(v)::text
FROM api_user AS v
JOIN expired AS e ON e.id = v.id
