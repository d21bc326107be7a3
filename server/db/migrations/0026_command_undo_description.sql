-- Undo and redo of commands (Cytomine's UndoStackItem / RedoStackItem / CommandHistory), and
-- rich-text descriptions of domain objects.
--
-- A command's "state" is what reversing it puts back: the object as it was before an edit or a
-- delete, NULL when the object did not exist before (an add). Undo and redo both swap the
-- object's current state with the stored one, so after an undo the column holds what redo
-- re-applies. Each user has one undo and one redo stack; every new command goes on its user's
-- undo stack. As in Cytomine, a new command leaves the redo stack alone: the Web UI's viewer
-- undoes a creation by deleting the annotation (a new command) and then expects to redo the
-- edits it had undone before. History rows record each command and each undo or redo of it
-- (prefix '', 'UNDO', 'REDO').

ALTER TABLE command ADD COLUMN state jsonb;

CREATE TABLE command_stack (
    command_id bigint PRIMARY KEY REFERENCES command (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    stack text NOT NULL CHECK (stack IN ('UNDO', 'REDO')),
    created timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX command_stack_user_idx ON command_stack (user_id, stack, created DESC);

CREATE TABLE command_history (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT clock_timestamp(),
    command_id bigint NOT NULL REFERENCES command (id) ON DELETE CASCADE,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    project_id bigint REFERENCES project (id) ON DELETE SET NULL,
    prefix_action text NOT NULL DEFAULT '' CHECK (prefix_action IN ('', 'UNDO', 'REDO'))
);
CREATE INDEX command_history_project_idx ON command_history (project_id, created DESC);
CREATE INDEX command_history_user_idx ON command_history (user_id, created DESC);
CREATE INDEX command_user_idx ON command (user_id, created DESC);

INSERT INTO command_history (created, command_id, user_id, project_id)
SELECT c.created, c.id, c.user_id, c.project_id FROM command AS c;

-- Every command is written in history and goes on its user's undo stack.
CREATE FUNCTION command_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO command_history (command_id, user_id, project_id)
    VALUES (NEW.id, NEW.user_id, NEW.project_id);
    IF NEW.user_id IS NOT NULL THEN
        INSERT INTO command_stack (command_id, user_id, stack) VALUES (NEW.id, NEW.user_id, 'UNDO');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER command_recorded AFTER INSERT ON command
FOR EACH ROW EXECUTE FUNCTION command_recorded();

-- A rich-text description of any domain object (at most one per object).
CREATE TABLE description (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    domain_class_name text NOT NULL,
    domain_ident bigint NOT NULL,
    data text NOT NULL,
    UNIQUE (domain_ident, domain_class_name)
);

CREATE VIEW api_description AS
SELECT
    'be.cytomine.domain.meta.Description'::text AS "class",
    d.id,
    epoch_ms(d.created) AS created,
    epoch_ms(d.updated) AS updated,
    d.domain_ident AS "domainIdent",
    d.domain_class_name AS "domainClassName",
    d.data
FROM description AS d;

-- A description goes with its object, as its properties, tags and attached files.
CREATE FUNCTION description_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM description AS d WHERE d.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
CREATE TRIGGER project_description_forget AFTER DELETE ON project
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER image_instance_description_forget AFTER DELETE ON image_instance
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER abstract_image_description_forget AFTER DELETE ON abstract_image
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER annotation_description_forget AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER track_description_forget AFTER DELETE ON track
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER storage_description_forget AFTER DELETE ON storage
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER ontology_description_forget AFTER DELETE ON ontology
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();
CREATE TRIGGER term_description_forget AFTER DELETE ON term
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION description_forget();

-- How Cytomine names a command's parts, from what Lamina records.
CREATE FUNCTION command_simple_class(class_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT regexp_replace(class_name, '^.*\.', '') $$;

CREATE FUNCTION command_service(class_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT lower(left(command_simple_class(class_name), 1))
        || substr(command_simple_class(class_name), 2) || 'Service'
$$;

CREATE FUNCTION command_class(type text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT 'be.cytomine.domain.command.' || initcap(type) || 'Command' $$;

CREATE FUNCTION command_message(type text, class_name text, object_id bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT command_simple_class(class_name) || ' ' || object_id || ' '
        || CASE type WHEN 'ADD' THEN 'added' WHEN 'EDIT' THEN 'edited' ELSE 'deleted' END
$$;

-- The command's data as Cytomine's history shows it: an edit names the new object.
CREATE FUNCTION command_data(type text, class_name text, data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN type = 'EDIT' THEN jsonb_build_object('new' || command_simple_class(class_name), data)::text
        ELSE data::text
    END
$$;

-- One command as Cytomine's Command JSON.
CREATE VIEW api_command AS
SELECT
    command_class(c.type) AS "class",
    c.id,
    epoch_ms(c.created) AS created,
    NULL::text AS updated,
    initcap(c.type) || 'Command' AS "CLASSNAME",
    command_service(c.class_name) AS "serviceName",
    command_message(c.type, c.class_name, c.object_id) || ' by user with id ' || coalesce(c.user_id::text, '') AS action,
    command_data(c.type, c.class_name, c.data) AS data,
    c.user_id AS "user",
    c.type
FROM command AS c;
