-- The account behind a bearer token subject.
-- $1 id bigint
-- -> id, username, private_key, enabled, rank (0 none .. 4 super admin), admin_session,
--    algo (the account is a job's user job)
SELECT
    u.id, u.username, u.private_key, u.enabled, r.rank, u.admin_session,
    EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = u.id) AS algo
FROM sec_user AS u
JOIN user_rank AS r ON r.user_id = u.id
WHERE u.id = $1
