-- The live session behind an SSO cookie.
-- $1 cookie_hash text -> id
SELECT s.id
FROM iam_session AS s
JOIN sec_user AS u ON u.id = s.user_id
WHERE s.cookie_hash = $1 AND s.ended IS NULL AND s.expires > now() AND u.enabled
