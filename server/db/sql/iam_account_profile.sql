-- Profile of an account for the Account REST API (sid/expires are unused there).
-- $1 user_id bigint
-- -> sid, expires, id, username, firstname, lastname, email, rank, language, is_developer
SELECT
    ''::text AS sid,
    0::bigint AS expires,
    u.id,
    u.username,
    u.firstname,
    u.lastname,
    u.email,
    r.rank,
    u.language,
    u.is_developer
FROM sec_user AS u
JOIN user_rank AS r ON r.user_id = u.id
WHERE u.id = $1
