-- Core schema: ids, users and roles, ontologies, projects and their ACL, storages, commands.
-- Every persisted object takes its id from one sequence, as Cytomine's clients expect
-- (e.g. /api/annotation/{id}.json resolves any annotation kind by id alone).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SEQUENCE lamina_id_seq;

-- Cytomine dates are strings of epoch milliseconds.
CREATE FUNCTION epoch_ms(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT floor(extract(epoch FROM t) * 1000)::bigint::text $$;

CREATE TABLE sec_user (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    username text NOT NULL CHECK (username <> ''),
    firstname text,
    lastname text,
    email text,
    language text NOT NULL DEFAULT 'ENGLISH',
    origin text NOT NULL DEFAULT 'SYSTEM',
    password_hash text,
    public_key text NOT NULL UNIQUE,
    private_key text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    password_expired boolean NOT NULL DEFAULT false,
    is_developer boolean NOT NULL DEFAULT false,
    creator_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    color text,
    -- Admins act as plain users while their admin session is closed (Cytomine semantics).
    admin_session boolean NOT NULL DEFAULT true,
    -- Subject of an external identity provider, when the account came from one.
    reference text UNIQUE
);
CREATE UNIQUE INDEX sec_user_username_key ON sec_user (lower(username));

CREATE TABLE sec_role (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    authority text NOT NULL UNIQUE,
    rank integer NOT NULL UNIQUE
);
INSERT INTO sec_role (authority, rank) VALUES
    ('ROLE_GUEST', 1), ('ROLE_USER', 2), ('ROLE_ADMIN', 3), ('ROLE_SUPER_ADMIN', 4);

CREATE TABLE sec_user_sec_role (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    role_id bigint NOT NULL REFERENCES sec_role (id),
    UNIQUE (user_id, role_id)
);

CREATE TABLE ontology (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ontology_name_key ON ontology (name);

CREATE TABLE relation (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL UNIQUE
);
INSERT INTO relation (name) VALUES ('parent');

CREATE TABLE term (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    comment text,
    ontology_id bigint NOT NULL REFERENCES ontology (id) ON DELETE CASCADE,
    color text NOT NULL,
    UNIQUE (ontology_id, name)
);

CREATE TABLE relation_term (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    relation_id bigint NOT NULL REFERENCES relation (id) ON DELETE CASCADE,
    term1_id bigint NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    term2_id bigint NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    UNIQUE (relation_id, term1_id, term2_id)
);
CREATE INDEX relation_term_term2_idx ON relation_term (term2_id);

CREATE TABLE project (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    ontology_id bigint REFERENCES ontology (id),
    creator_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    blind_mode boolean NOT NULL DEFAULT false,
    are_images_downloadable boolean NOT NULL DEFAULT false,
    is_closed boolean NOT NULL DEFAULT false,
    is_read_only boolean NOT NULL DEFAULT false,
    is_restricted boolean NOT NULL DEFAULT false,
    hide_users_layers boolean NOT NULL DEFAULT false,
    hide_admins_layers boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX project_name_key ON project (lower(name));
CREATE INDEX project_ontology_idx ON project (ontology_id);

-- Project ACL: every member reads; managers administer (Cytomine's READ / ADMINISTRATION).
CREATE TABLE project_member (
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    is_manager boolean NOT NULL DEFAULT false,
    created timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_member_user_idx ON project_member (user_id, project_id);

CREATE TABLE project_representative_user (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    UNIQUE (project_id, user_id)
);

CREATE TABLE project_default_layer (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    hide_by_default boolean NOT NULL DEFAULT false,
    UNIQUE (project_id, user_id)
);

CREATE TABLE storage (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);

-- Storage ACL: READ lets a user import into and browse the storage; ADMINISTRATION manages it.
CREATE TABLE storage_member (
    storage_id bigint NOT NULL REFERENCES storage (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    permission text NOT NULL CHECK (permission IN ('READ', 'WRITE', 'ADMINISTRATION')),
    created timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (storage_id, user_id)
);
CREATE INDEX storage_member_user_idx ON storage_member (user_id, storage_id);

-- One row per add/edit/delete, so envelopes carry a command id and history can be listed.
CREATE TABLE command (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    project_id bigint REFERENCES project (id) ON DELETE SET NULL,
    type text NOT NULL CHECK (type IN ('ADD', 'EDIT', 'DELETE')),
    class_name text NOT NULL,
    object_id bigint NOT NULL,
    data jsonb
);
CREATE INDEX command_project_idx ON command (project_id, created);

CREATE TABLE configuration (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    key text NOT NULL UNIQUE,
    value text,
    reading_role text NOT NULL DEFAULT 'ALL' CHECK (reading_role IN ('ADMIN', 'USER', 'ALL'))
);

-- The highest role of each user, used by the authentication path.
CREATE VIEW user_rank AS
SELECT u.id AS user_id, coalesce(max(r.rank), 0) AS rank
FROM sec_user AS u
LEFT JOIN sec_user_sec_role AS ur ON ur.user_id = u.id
LEFT JOIN sec_role AS r ON r.id = ur.role_id
GROUP BY u.id;

-- RS256 key that signs the OIDC tokens; made on first start, shared by every worker.
CREATE TABLE signing_key (
    kid text PRIMARY KEY,
    created timestamptz NOT NULL DEFAULT now(),
    private_pem text NOT NULL
);
