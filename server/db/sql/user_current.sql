-- The caller's own account: the public user object plus keys and role flags.
-- $1 user_id bigint
-- -> json text (User object as served by /api/user/current.json)
SELECT (
    to_jsonb(v)
    || jsonb_build_object(
        'publicKey', u.public_key,
        'privateKey', u.private_key,
        'passwordExpired', u.password_expired,
        'admin', r.rank >= 3,
        'user', r.rank >= 2,
        'guest', r.rank = 1,
        'adminByNow', r.rank >= 3 AND u.admin_session,
        'userByNow', r.rank >= 2,
        'guestByNow', r.rank = 1,
        'isSwitched', false,
        'realUser', null,
        -- A user job's run (how a client started by the server finds its job).
        'job', (SELECT uj.job_id FROM user_job AS uj WHERE uj.id = v.id)
    )
)::text
FROM api_user AS v
JOIN sec_user AS u ON u.id = v.id
JOIN user_rank AS r ON r.user_id = v.id
WHERE v.id = $1
