-- The account of a live SSO session (not ended, not expired, account enabled).
-- $1 session_id text
-- -> sid, expires (epoch s), id, username, firstname, lastname, email, rank, language,
--    is_developer
SELECT
    s.id AS sid,
    floor(extract(EPOCH FROM s.expires))::bigint AS expires,
    u.id,
    u.username,
    u.firstname,
    u.lastname,
    u.email,
    r.rank,
    u.language,
    u.is_developer
FROM iam_session AS s
JOIN sec_user AS u ON u.id = s.user_id
JOIN user_rank AS r ON r.user_id = u.id
WHERE s.id = $1 AND s.ended IS NULL AND s.expires > now() AND u.enabled
