-- Analysis runs (Cytomine's Job, JobParameter and UserJob). A job is one run of a software in a
-- project; its user job is the account the run acts as: a non-human sec_user with its own API
-- keys, a member (never a manager) of the job's project, whose annotations are algo
-- annotations. The job status follows Cytomine's codes and changes only along the life cycle
-- below, whoever writes the row.

-- Cytomine's status codes, for the statements and the checks below.
CREATE FUNCTION job_status_name(status integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT (ARRAY[
        'NOT_LAUNCH', 'INQUEUE', 'RUNNING', 'SUCCESS', 'FAILED', 'INDETERMINATE', 'WAIT',
        'PREVIEWED', 'KILLED'
    ])[status + 1]
$$;

-- The life cycle: NOT_LAUNCH -> INQUEUE -> RUNNING -> SUCCESS | FAILED | INDETERMINATE |
-- WAIT | PREVIEWED | KILLED. A run started outside the server (CytomineJob on a workstation)
-- goes from NOT_LAUNCH straight to RUNNING; WAIT and PREVIEWED resume; a run that was not
-- started can still fail or be killed. SUCCESS is final; FAILED, INDETERMINATE and KILLED
-- may only go back to the queue (a relaunch of the same job). Same status -> same status is
-- a progress or comment update.
CREATE FUNCTION job_status_allowed(old_status integer, new_status integer) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT old_status = new_status OR CASE old_status
        WHEN 0 THEN new_status IN (1, 2, 4, 6, 7, 8)
        WHEN 1 THEN new_status IN (0, 2, 4, 6, 8)
        WHEN 2 THEN new_status IN (3, 4, 5, 6, 7, 8)
        WHEN 6 THEN new_status IN (1, 2, 4, 5, 8)
        WHEN 7 THEN new_status IN (1, 2, 4, 8)
        WHEN 4 THEN new_status = 1
        WHEN 5 THEN new_status = 1
        WHEN 8 THEN new_status = 1
        ELSE false
    END
$$;

-- "Name (version)", or the name alone when there is no version (Software.fullName).
CREATE FUNCTION software_full_name(name text, version text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN coalesce(btrim(version), '') = '' THEN name
        ELSE name || ' (' || version || ')'
    END
$$;

CREATE TABLE job (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    -- A software with runs cannot be deleted (its runs' annotations would lose their origin).
    software_id bigint NOT NULL REFERENCES software (id),
    -- Cytomine's processing server: kept as given, Lamina runs jobs itself.
    processing_server_id bigint,
    status integer NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 8),
    progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    status_comment text CHECK (length(status_comment) <= 5000),
    -- Run number of this software in this project, from 1 (set by job_numbered()).
    number integer NOT NULL,
    rate double precision,
    favorite boolean NOT NULL DEFAULT false,
    data_deleted boolean NOT NULL DEFAULT false,
    UNIQUE (software_id, project_id, number)
);
CREATE INDEX job_project_idx ON job (project_id, created);

-- Numbers runs per (software, project); the advisory lock serialises concurrent creations of
-- the same pair so that two runs never take the same number.
CREATE FUNCTION job_numbered() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(
        hashtextextended('job_number:' || NEW.software_id || ':' || NEW.project_id, 0)
    );
    SELECT coalesce(max(j.number), 0) + 1 INTO NEW.number
    FROM job AS j
    WHERE j.software_id = NEW.software_id AND j.project_id = NEW.project_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER job_numbered BEFORE INSERT ON job
FOR EACH ROW EXECUTE FUNCTION job_numbered();

-- The state machine is enforced here, so that every writer (routes, the runner, a worker
-- process) obeys it. A refused move is a check violation naming job_status_transition.
CREATE FUNCTION job_status_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT job_status_allowed(OLD.status, NEW.status) THEN
        RAISE EXCEPTION 'job % cannot go from % to %',
            OLD.id, job_status_name(OLD.status), job_status_name(NEW.status)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'job_status_transition';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER job_status_checked BEFORE UPDATE OF status ON job
FOR EACH ROW EXECUTE FUNCTION job_status_checked();

CREATE TABLE job_parameter (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    job_id bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    software_parameter_id bigint NOT NULL REFERENCES software_parameter (id) ON DELETE CASCADE,
    value text CHECK (length(value) <= 100000),
    UNIQUE (job_id, software_parameter_id)
);
CREATE INDEX job_parameter_software_parameter_idx ON job_parameter (software_parameter_id);

-- A job's parameter values belong to its software's parameters.
CREATE FUNCTION job_parameter_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM job AS j
        JOIN software_parameter AS sp ON sp.software_id = j.software_id
        WHERE j.id = NEW.job_id AND sp.id = NEW.software_parameter_id
    ) THEN
        RAISE EXCEPTION 'software parameter % is not a parameter of the software of job %',
            NEW.software_parameter_id, NEW.job_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'job_parameter_of_software';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER job_parameter_matches BEFORE INSERT OR UPDATE OF job_id, software_parameter_id
ON job_parameter
FOR EACH ROW EXECUTE FUNCTION job_parameter_matches();

-- The account of a run. id is the sec_user row; user_id is the human who launched the job.
CREATE TABLE user_job (
    id bigint PRIMARY KEY REFERENCES sec_user (id) ON DELETE CASCADE,
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    job_id bigint NOT NULL UNIQUE REFERENCES job (id) ON DELETE CASCADE,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    rate double precision NOT NULL DEFAULT -1
);
CREATE INDEX user_job_user_idx ON user_job (user_id);

-- Create the user job of a job: an account named as Cytomine names them (plus the job id,
-- which keeps names unique), with fresh UUID keys, ROLE_USER at most (a run never acts with
-- admin rights, whoever launched it) and a plain membership of the job's project.
-- Returns the account id.
CREATE FUNCTION user_job_create(target_job bigint, launcher bigint) RETURNS bigint
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

-- A run's account goes with its job: its annotations and term links first (the account's
-- own references would refuse the deletion), then the account itself.
CREATE FUNCTION user_job_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM annotation_term WHERE user_id IN (SELECT id FROM removed);
    DELETE FROM annotation
    WHERE user_id IN (SELECT id FROM removed) AND kind <> 'reviewed';
    DELETE FROM sec_user WHERE id IN (SELECT id FROM removed);
    RETURN NULL;
END
$$;
CREATE TRIGGER user_job_removed AFTER DELETE ON user_job
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION user_job_removed();

-- Accounts: "algo" now says whether the account is a user job (human lists leave them out).
CREATE OR REPLACE VIEW api_user AS
SELECT
    'be.cytomine.domain.security.User'::text AS "class",
    u.id,
    epoch_ms(u.created) AS created,
    epoch_ms(u.updated) AS updated,
    u.username,
    u.firstname,
    u.lastname,
    u.email,
    u.language,
    coalesce(nullif(concat_ws(' ', u.firstname, u.lastname), ''), u.username) AS name,
    coalesce(nullif(concat_ws(' ', u.firstname, u.lastname), ''), u.username) AS "fullName",
    u.origin,
    EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = u.id) AS algo,
    u.is_developer AS "isDeveloper",
    u.enabled,
    u.creator_id AS "user",
    u.color
FROM sec_user AS u;

CREATE VIEW api_job_parameter AS
SELECT
    'be.cytomine.processing.JobParameter'::text AS "class",
    jp.id,
    epoch_ms(jp.created) AS created,
    epoch_ms(jp.updated) AS updated,
    jp.value,
    jp.job_id AS job,
    jp.software_parameter_id AS "softwareParameter",
    sp.name,
    sp.type,
    sp.index,
    sp.uri,
    sp.uri_print_attribut AS "uriPrintAttribut",
    sp.uri_sort_attribut AS "uriSortAttribut",
    coalesce(sp.human_name, sp.name) AS "humanName"
FROM job_parameter AS jp
JOIN software_parameter AS sp ON sp.id = jp.software_parameter_id;

CREATE VIEW api_job AS
SELECT
    'be.cytomine.processing.Job'::text AS "class",
    j.id,
    epoch_ms(j.created) AS created,
    epoch_ms(j.updated) AS updated,
    'job'::text AS "algoType",
    j.progress,
    j.status,
    j.number,
    j.status_comment AS "statusComment",
    j.project_id AS project,
    j.processing_server_id AS "processingServer",
    j.software_id AS software,
    s.name AS "softwareName",
    s.software_version AS "softwareVersion",
    software_full_name(s.name, s.software_version) AS "softwareFullName",
    s.name || ' : ' || j.number AS name,
    j.rate,
    j.data_deleted AS "dataDeleted",
    j.favorite,
    u.username,
    uj.id AS "userJob",
    coalesce(
        (
            SELECT json_agg(p ORDER BY p.index, p.id)
            FROM api_job_parameter AS p
            WHERE p.job = j.id
        ),
        '[]'::json
    ) AS "jobParameters"
FROM job AS j
JOIN software AS s ON s.id = j.software_id
LEFT JOIN user_job AS uj ON uj.job_id = j.id
LEFT JOIN sec_user AS u ON u.id = uj.user_id;

-- The account fields of a user job (as a SecUser) plus its run. The private key is in the
-- view; statements show it only to the run itself, its launcher and admins.
CREATE VIEW api_user_job AS
SELECT
    'be.cytomine.security.UserJob'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.username,
    a.origin,
    true AS algo,
    h.username AS "humanUsername",
    a.public_key AS "publicKey",
    a.private_key AS "privateKey",
    uj.job_id AS job,
    uj.user_id AS "user",
    uj.rate,
    j.project_id AS project
FROM user_job AS uj
JOIN sec_user AS a ON a.id = uj.id
JOIN job AS j ON j.id = uj.job_id
LEFT JOIN sec_user AS h ON h.id = uj.user_id;

-- Software with its run counters (Cytomine's Software.numberOf*), now that runs exist.
CREATE OR REPLACE VIEW api_software AS
SELECT
    'be.cytomine.processing.Software'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.software_user_repository_id AS "softwareUserRepository",
    s.default_processing_server_id AS "defaultProcessingServer",
    s.result_name AS "resultName",
    s.execute_command AS "executeCommand",
    s.pulling_command AS "pullingCommand",
    s.deprecated,
    s.software_version AS "softwareVersion",
    s.source_path AS "sourcePath",
    software_full_name(s.name, s.software_version) AS "fullName",
    coalesce(btrim(s.execute_command), '') <> '' AS executable,
    coalesce(
        (
            SELECT json_agg(p ORDER BY p.index, p.id)
            FROM api_software_parameter AS p
            WHERE p.software = s.id AND NOT p."setByServer"
        ),
        '[]'::json
    ) AS parameters,
    n.total AS "numberOfJob",
    n.not_launch AS "numberOfNotLaunch",
    n.in_queue AS "numberOfInQueue",
    n.running AS "numberOfRunning",
    n.success AS "numberOfSuccess",
    n.failed AS "numberOfFailed",
    n.indeterminate AS "numberOfIndeterminate",
    n.wait AS "numberOfWait",
    n.killed AS "numberOfKilled"
FROM software AS s
CROSS JOIN LATERAL (
    SELECT
        count(*) AS total,
        count(*) FILTER (WHERE j.status = 0) AS not_launch,
        count(*) FILTER (WHERE j.status = 1) AS in_queue,
        count(*) FILTER (WHERE j.status = 2) AS running,
        count(*) FILTER (WHERE j.status = 3) AS success,
        count(*) FILTER (WHERE j.status = 4) AS failed,
        count(*) FILTER (WHERE j.status = 5) AS indeterminate,
        count(*) FILTER (WHERE j.status = 6) AS wait,
        count(*) FILTER (WHERE j.status = 8) AS killed
    FROM job AS j
    WHERE j.software_id = s.id
) AS n;

CREATE INDEX job_software_idx ON job (software_id, status);
