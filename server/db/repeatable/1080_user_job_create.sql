-- Create the user job of a job: an account named as Cytomine names them (plus the job id,
-- which keeps names unique), with fresh UUID keys, ROLE_USER at most (a run never acts with
-- admin rights, whoever launched it) and a plain membership of the job's project.
-- Returns the account id.
CREATE OR REPLACE FUNCTION user_job_create(target_job bigint, launcher bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    account bigint;
BEGIN
    INSERT INTO sec_user (username, public_key, private_key, creator_id, origin, enabled)
    SELECT
        'JOB[' || u.username || ' ], '
        || to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS:MS') || ' #' || j.id,
        gen_random_uuid()::text,
        gen_random_uuid()::text,
        u.id,
        'JOB',
        u.enabled
    FROM job AS j
    JOIN sec_user AS u ON u.id = launcher
    WHERE j.id = target_job
    RETURNING id INTO account;
    IF account IS NULL THEN
        RAISE EXCEPTION 'job % or user % does not exist', target_job, launcher
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'user_job_job_ref';
    END IF;
    INSERT INTO user_job (id, job_id, user_id) VALUES (account, target_job, launcher);
    INSERT INTO sec_user_sec_role (user_id, role_id)
    SELECT account, r.id
    FROM sec_role AS r
    WHERE r.rank <= least(2, (SELECT ur.rank FROM user_rank AS ur WHERE ur.user_id = launcher));
    INSERT INTO project_member (project_id, user_id, is_manager)
    SELECT j.project_id, account, false FROM job AS j WHERE j.id = target_job;
    RETURN account;
END
$$;
