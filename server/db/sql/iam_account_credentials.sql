-- Password credential facts of an account for the Account REST API.
-- $1 user_id bigint -> has_password boolean, created (epoch ms bigint)
SELECT
    password_hash IS NOT NULL AS has_password,
    floor(extract(EPOCH FROM coalesce(updated, created)) * 1000)::bigint AS created
FROM sec_user
WHERE id = $1
