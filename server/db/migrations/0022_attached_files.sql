-- Files attached to any domain object (Cytomine's AttachedFile). The bytes live under the
-- storage root at path (relative, attachedfile/<id>/<name>); the row keeps the name shown.
-- domain_ident has no foreign key (it points into several tables); deleting the object
-- forgets its attachments through statement-level triggers, as its properties and tags.

CREATE TABLE attached_file (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    domain_class_name text NOT NULL,
    domain_ident bigint NOT NULL,
    filename text NOT NULL CHECK (filename <> ''),
    key text,
    path text NOT NULL,
    size bigint NOT NULL,
    content_type text,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);
CREATE INDEX attached_file_domain_idx ON attached_file (domain_ident);

CREATE VIEW api_attached_file AS
SELECT
    'be.cytomine.domain.meta.AttachedFile'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.domain_ident AS "domainIdent",
    f.domain_class_name AS "domainClassName",
    '/api/attachedfile/' || f.id || '/download' AS url,
    f.filename,
    f.key
FROM attached_file AS f;

CREATE FUNCTION attached_file_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attached_file AS f WHERE f.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
CREATE TRIGGER project_attached_file_forget AFTER DELETE ON project
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER image_instance_attached_file_forget AFTER DELETE ON image_instance
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER abstract_image_attached_file_forget AFTER DELETE ON abstract_image
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER annotation_attached_file_forget AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER track_attached_file_forget AFTER DELETE ON track
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER storage_attached_file_forget AFTER DELETE ON storage
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER ontology_attached_file_forget AFTER DELETE ON ontology
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
CREATE TRIGGER term_attached_file_forget AFTER DELETE ON term
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION attached_file_forget();
