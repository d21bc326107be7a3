-- Analysis software (Cytomine's Software, SoftwareParameter, SoftwareProject and
-- SoftwareUserRepository, "trusted sources"). A software is global: every caller reads it,
-- its creator and admins change it. Its execute command is the command-line template the
-- job runner fills from the parameters' value keys and flags; the descriptor it was
-- registered from is kept whole for the runner.

CREATE TABLE software_user_repository (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    provider text NOT NULL CHECK (provider <> ''),
    username text NOT NULL CHECK (username <> ''),
    docker_username text NOT NULL CHECK (docker_username <> ''),
    prefix text
);

CREATE TABLE software (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    software_version text,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    software_user_repository_id bigint
    REFERENCES software_user_repository (id) ON DELETE SET NULL,
    default_processing_server_id bigint,
    result_name text,
    execute_command text CHECK (length(execute_command) <= 5000),
    pulling_command text,
    deprecated boolean NOT NULL DEFAULT false,
    source_path text,
    descriptor jsonb
);
-- One software per name and version (a name without version is one more "version").
CREATE UNIQUE INDEX software_name_version_key ON software (name, coalesce(software_version, ''));
CREATE INDEX software_repository_idx ON software (software_user_repository_id);

CREATE TABLE software_parameter (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    software_id bigint NOT NULL REFERENCES software (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (name <> ''),
    type text NOT NULL
    CHECK (type IN ('String', 'Boolean', 'Number', 'Date', 'List', 'ListDomain', 'Domain')),
    default_value text,
    required boolean NOT NULL DEFAULT false,
    index integer NOT NULL DEFAULT 0,
    uri text,
    uri_print_attribut text,
    uri_sort_attribut text,
    set_by_server boolean NOT NULL DEFAULT false,
    server_parameter boolean NOT NULL DEFAULT false,
    human_name text,
    value_key text,
    command_line_flag text,
    UNIQUE (software_id, name)
);

CREATE TABLE software_project (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    software_id bigint NOT NULL REFERENCES software (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    UNIQUE (software_id, project_id)
);
CREATE INDEX software_project_project_idx ON software_project (project_id);

CREATE VIEW api_software_user_repository AS
SELECT
    'be.cytomine.domain.processing.SoftwareUserRepository'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.provider,
    r.username,
    r.docker_username AS "dockerUsername",
    r.prefix
FROM software_user_repository AS r;

CREATE VIEW api_software_parameter AS
SELECT
    'be.cytomine.processing.SoftwareParameter'::text AS "class",
    p.id,
    epoch_ms(p.created) AS created,
    epoch_ms(p.updated) AS updated,
    p.name,
    p.type,
    p.default_value AS "defaultParamValue",
    p.required,
    p.software_id AS software,
    p.index,
    p.uri,
    p.uri_print_attribut AS "uriPrintAttribut",
    p.uri_sort_attribut AS "uriSortAttribut",
    p.set_by_server AS "setByServer",
    p.server_parameter AS "serverParameter",
    coalesce(p.human_name, p.name) AS "humanName",
    p.value_key AS "valueKey",
    p.command_line_flag AS "commandLineFlag"
FROM software_parameter AS p;

-- The job counters are zero until jobs exist: the migration adding jobs redefines this view.
-- "executable": Lamina runs the execute command itself, so a command is all it needs
-- (Cytomine's router also wanted a pulling command for its container images).
CREATE VIEW api_software AS
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
    CASE
        WHEN coalesce(btrim(s.software_version), '') = '' THEN s.name
        ELSE s.name || ' (' || s.software_version || ')'
    END AS "fullName",
    coalesce(btrim(s.execute_command), '') <> '' AS executable,
    coalesce(
        (
            SELECT json_agg(p ORDER BY p.index, p.id)
            FROM api_software_parameter AS p
            WHERE p.software = s.id AND NOT p."setByServer"
        ),
        '[]'::json
    ) AS parameters,
    0::bigint AS "numberOfJob",
    0::bigint AS "numberOfNotLaunch",
    0::bigint AS "numberOfInQueue",
    0::bigint AS "numberOfRunning",
    0::bigint AS "numberOfSuccess",
    0::bigint AS "numberOfFailed",
    0::bigint AS "numberOfIndeterminate",
    0::bigint AS "numberOfWait",
    0::bigint AS "numberOfKilled"
FROM software AS s;

CREATE VIEW api_software_project AS
SELECT
    'be.cytomine.processing.SoftwareProject'::text AS "class",
    sp.id,
    epoch_ms(sp.created) AS created,
    epoch_ms(sp.updated) AS updated,
    sp.software_id AS software,
    s.name,
    s."softwareVersion",
    s."fullName",
    s.deprecated,
    s.executable,
    sp.project_id AS project
FROM software_project AS sp
JOIN api_software AS s ON s.id = sp.software_id;
