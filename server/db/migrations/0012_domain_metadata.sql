-- Metadata attached to any domain object: key/value properties, tags and their associations,
-- and tracks (annotation series on one image) with the annotations they link.
-- domain_class_name holds the full Java class name (be.cytomine.domain.project.Project);
-- domain_ident has no foreign key because it points into several tables.

CREATE TABLE property (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    domain_class_name text NOT NULL,
    domain_ident bigint NOT NULL,
    key text NOT NULL CHECK (key <> ''),
    value text,
    -- Ids are unique across classes: one value per key and object.
    UNIQUE (domain_ident, key)
);
-- Key lists of one class ("every annotation property key of this project") scan this index.
CREATE INDEX property_class_key_idx ON property (domain_class_name, key);

CREATE TABLE tag (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    user_id bigint NOT NULL REFERENCES sec_user (id)
);
CREATE UNIQUE INDEX tag_name_key ON tag (lower(name));

CREATE TABLE tag_domain_association (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    tag_id bigint NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    domain_class_name text NOT NULL,
    domain_ident bigint NOT NULL,
    UNIQUE (domain_ident, domain_class_name, tag_id)
);
CREATE INDEX tag_domain_association_tag_idx ON tag_domain_association (tag_id);

CREATE TABLE track (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    color text,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    UNIQUE (image_id, name)
);
CREATE INDEX track_project_idx ON track (project_id);

-- image_id is a copy of the annotation's: per-image track filters read this table alone.
CREATE TABLE annotation_track (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    annotation_id bigint NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,
    track_id bigint NOT NULL REFERENCES track (id) ON DELETE CASCADE,
    slice_id bigint NOT NULL REFERENCES slice_instance (id) ON DELETE CASCADE,
    image_id bigint NOT NULL,
    UNIQUE (annotation_id, track_id),
    -- A track has at most one annotation per slice (Cytomine refuses a second one).
    UNIQUE (track_id, slice_id)
);
CREATE INDEX annotation_track_image_idx ON annotation_track (image_id, track_id);

-- The Java class of an annotation of a kind (migration 0011).
CREATE FUNCTION annotation_class(kind text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE kind
        WHEN 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        WHEN 'reviewed' THEN 'be.cytomine.domain.ontology.ReviewedAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END
$$;

-- Where an object lives, for permission checks: its project, storage or ontology, and the
-- user who owns it (annotation author, image adder...), and its class (an annotation asked
-- for under any annotation class answers its own). No row: no such object.
CREATE FUNCTION domain_container(class_name text, ident bigint)
RETURNS TABLE (
    project_id bigint, storage_id bigint, ontology_id bigint, owner_id bigint, actual_class text
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT p.id, NULL::bigint, NULL::bigint, NULL::bigint, class_name
    FROM project AS p
    WHERE class_name = 'be.cytomine.domain.project.Project' AND p.id = ident
    UNION ALL
    SELECT i.project_id, NULL, NULL, i.user_id, class_name
    FROM image_instance AS i
    WHERE class_name = 'be.cytomine.domain.image.ImageInstance' AND i.id = ident
    UNION ALL
    SELECT a.project_id, NULL, NULL, a.user_id, annotation_class(a.kind)
    FROM annotation AS a
    WHERE
        class_name IN (
            'be.cytomine.domain.ontology.UserAnnotation',
            'be.cytomine.domain.ontology.AlgoAnnotation',
            'be.cytomine.domain.ontology.ReviewedAnnotation',
            'be.cytomine.domain.ontology.AnnotationDomain'
        )
        AND a.id = ident
    UNION ALL
    SELECT t.project_id, NULL, NULL, NULL, class_name
    FROM track AS t
    WHERE class_name = 'be.cytomine.domain.ontology.Track' AND t.id = ident
    UNION ALL
    SELECT NULL, f.storage_id, NULL, f.user_id, class_name
    FROM abstract_image AS ai
    INNER JOIN uploaded_file AS f ON ai.uploaded_file_id = f.id
    WHERE class_name = 'be.cytomine.domain.image.AbstractImage' AND ai.id = ident
    UNION ALL
    SELECT NULL, s.id, NULL, s.user_id, class_name
    FROM storage AS s
    WHERE class_name = 'be.cytomine.domain.image.server.Storage' AND s.id = ident
    UNION ALL
    SELECT NULL, NULL, o.id, o.user_id, class_name
    FROM ontology AS o
    WHERE class_name = 'be.cytomine.domain.ontology.Ontology' AND o.id = ident
    UNION ALL
    SELECT NULL, NULL, t.ontology_id, NULL, class_name
    FROM term AS t
    WHERE class_name = 'be.cytomine.domain.ontology.Term' AND t.id = ident
$$;

-- Whether a user may read an object (the list filter of associations and properties).
CREATE FUNCTION domain_readable(class_name text, ident bigint, u_id bigint, is_admin boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin OR EXISTS (
        SELECT 1
        FROM domain_container(class_name, ident) AS d
        WHERE
            (d.project_id IS NOT NULL AND project_readable(d.project_id, u_id))
            OR (d.storage_id IS NOT NULL AND storage_readable(d.storage_id, u_id))
            OR (d.ontology_id IS NOT NULL AND ontology_readable(d.ontology_id, u_id, false))
    ) OR (
        -- An abstract image is also readable through a project that shows it.
        class_name = 'be.cytomine.domain.image.AbstractImage'
        AND EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = ident AND project_readable(i.project_id, u_id)
        )
    )
$$;

CREATE VIEW api_property AS
SELECT
    'be.cytomine.domain.meta.Property'::text AS "class",
    p.id,
    epoch_ms(p.created) AS created,
    epoch_ms(p.updated) AS updated,
    p.domain_ident AS "domainIdent",
    p.domain_class_name AS "domainClassName",
    p.key,
    p.value
FROM property AS p;

CREATE VIEW api_tag AS
SELECT
    'be.cytomine.domain.meta.Tag'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.user_id AS "user",
    u.username AS "creatorName"
FROM tag AS t
INNER JOIN sec_user AS u ON t.user_id = u.id;

CREATE VIEW api_tag_domain_association AS
SELECT
    'be.cytomine.domain.meta.TagDomainAssociation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    NULL::text AS updated,
    a.domain_ident AS "domainIdent",
    a.domain_class_name AS "domainClassName",
    a.tag_id AS tag,
    t.name AS "tagName"
FROM tag_domain_association AS a
INNER JOIN tag AS t ON a.tag_id = t.id;

CREATE VIEW api_track AS
SELECT
    'be.cytomine.domain.ontology.Track'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    epoch_ms(t.updated) AS updated,
    t.name,
    t.color,
    t.image_id AS image,
    t.project_id AS project
FROM track AS t;

CREATE VIEW api_annotation_track AS
SELECT
    'be.cytomine.domain.ontology.AnnotationTrack'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    NULL::text AS updated,
    a.annotation_id AS "annotationIdent",
    annotation_class(n.kind) AS "annotationClassName",
    a.track_id AS track,
    a.slice_id AS slice
FROM annotation_track AS a
INNER JOIN annotation AS n ON a.annotation_id = n.id;

-- Metadata of an object goes with it (Cytomine deletes dependent properties and tags too).
-- Once per statement: a bulk delete of annotations costs one semi-join per table.
CREATE FUNCTION domain_metadata_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM property AS p WHERE p.domain_ident IN (SELECT r.id FROM removed AS r);
    DELETE FROM tag_domain_association AS t
    WHERE t.domain_ident IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
CREATE TRIGGER project_metadata_forget AFTER DELETE ON project
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER image_instance_metadata_forget AFTER DELETE ON image_instance
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER abstract_image_metadata_forget AFTER DELETE ON abstract_image
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER annotation_metadata_forget AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER track_metadata_forget AFTER DELETE ON track
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER storage_metadata_forget AFTER DELETE ON storage
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER ontology_metadata_forget AFTER DELETE ON ontology
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
CREATE TRIGGER term_metadata_forget AFTER DELETE ON term
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION domain_metadata_forget();
