-- Image groups (images of one project shown together) and annotation groups (annotations of
-- one object followed across the images of an image group), with their links.
-- Deleting a project, image group, image or annotation group removes what hangs from it, as
-- Cytomine does before deleting them. The creator (user_id, not on the wire) is kept so that
-- restricted projects let contributors change only the groups they made.

CREATE TABLE image_group (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL CHECK (name <> ''),
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);
CREATE INDEX image_group_project_idx ON image_group (project_id);
CREATE INDEX image_group_user_idx ON image_group (user_id);

CREATE TABLE image_group_image_instance (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    group_id bigint NOT NULL REFERENCES image_group (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    UNIQUE (group_id, image_id)
);
CREATE INDEX image_group_image_instance_image_idx ON image_group_image_instance (image_id);

CREATE TABLE annotation_group (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    image_group_id bigint NOT NULL REFERENCES image_group (id) ON DELETE CASCADE,
    type text NOT NULL DEFAULT 'SAME_OBJECT' CHECK (type <> ''),
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);
CREATE INDEX annotation_group_project_idx ON annotation_group (project_id);
CREATE INDEX annotation_group_image_group_idx ON annotation_group (image_group_id);
CREATE INDEX annotation_group_user_idx ON annotation_group (user_id);

-- An annotation (of any kind) belongs to at most one group. annotation_id has no foreign key,
-- like the other references to annotation (migration 0020): inserts lock the annotation
-- themselves and a statement-level trigger removes the links of deleted annotations.
CREATE TABLE annotation_link (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    group_id bigint NOT NULL REFERENCES annotation_group (id) ON DELETE CASCADE,
    annotation_id bigint NOT NULL UNIQUE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE
);
CREATE INDEX annotation_link_group_idx ON annotation_link (group_id);
CREATE INDEX annotation_link_image_idx ON annotation_link (image_id);

CREATE FUNCTION annotation_links_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM annotation_link AS l WHERE l.annotation_id IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
CREATE TRIGGER annotation_links_cascade AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_links_forget();

CREATE VIEW api_image_group AS
SELECT
    'be.cytomine.domain.image.group.ImageGroup'::text AS "class",
    g.id,
    epoch_ms(g.created) AS created,
    epoch_ms(g.updated) AS updated,
    g.name,
    g.project_id AS project,
    coalesce(m.images, '[]'::json) AS "imageInstances",
    coalesce(m.n, 0) AS "numberOfImages"
FROM image_group AS g
LEFT JOIN LATERAL (
    SELECT
        count(*) AS n,
        json_agg(json_build_object(
            'id', v.id,
            'instanceFilename', v."instanceFilename",
            'thumb', v.thumb,
            'width', v.width,
            'height', v.height
        ) ORDER BY gi.id) AS images
    FROM image_group_image_instance AS gi
    INNER JOIN api_image_instance AS v ON gi.image_id = v.id
    WHERE gi.group_id = g.id
) AS m ON true;

CREATE VIEW api_image_group_image_instance AS
SELECT
    'be.cytomine.domain.image.group.ImageGroupImageInstance'::text AS "class",
    gi.id,
    epoch_ms(gi.created) AS created,
    epoch_ms(gi.updated) AS updated,
    gi.image_id AS image,
    gi.group_id AS "group",
    g.name AS "groupName"
FROM image_group_image_instance AS gi
INNER JOIN image_group AS g ON gi.group_id = g.id;

CREATE VIEW api_annotation_group AS
SELECT
    'be.cytomine.domain.ontology.AnnotationGroup'::text AS "class",
    ag.id,
    epoch_ms(ag.created) AS created,
    epoch_ms(ag.updated) AS updated,
    ag.project_id AS project,
    ag.image_group_id AS "imageGroup",
    ag.type
FROM annotation_group AS ag;

CREATE VIEW api_annotation_link AS
SELECT
    'be.cytomine.domain.ontology.AnnotationLink'::text AS "class",
    l.id,
    epoch_ms(l.created) AS created,
    epoch_ms(l.updated) AS updated,
    annotation_class(a.kind) AS "annotationClassName",
    l.annotation_id AS "annotationIdent",
    l.group_id AS "group",
    l.image_id AS image
FROM annotation_link AS l
INNER JOIN annotation AS a ON l.annotation_id = a.id;
