-- Consume a login token of a named, enabled account (single use).
-- $1 token_hash text, $2 username text -> user_id
DELETE FROM iam_login_token AS t
USING sec_user AS u
WHERE
    t.token_hash = $1 AND u.id = t.user_id AND lower(u.username) = lower($2)
    AND u.enabled AND t.expires > now()
RETURNING t.user_id
