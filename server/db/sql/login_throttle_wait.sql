-- Seconds a login attempt must still wait (0: go ahead), over the account and address keys.
-- $1 keys text[] -> wait bigint
SELECT coalesce(max(ceil(extract(EPOCH FROM t.blocked_until - now())))::bigint, 0) AS wait
FROM login_throttle AS t
WHERE t.key = ANY($1) AND t.blocked_until > now()
