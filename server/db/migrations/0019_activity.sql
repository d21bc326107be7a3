-- Viewer activity: where users look (last position per slice + append-only history), which
-- images they open (consultations) and what they do with annotations (actions). Activity rows
-- are not command-tracked and are written by one statement each: the viewer posts its
-- position every few seconds.

-- History: one row per heartbeat, never updated.
CREATE TABLE user_position (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    slice_id bigint NOT NULL REFERENCES slice_instance (id) ON DELETE CASCADE,
    project_id bigint NOT NULL,
    zoom integer NOT NULL,
    rotation double precision NOT NULL,
    broadcast boolean NOT NULL,
    -- Viewport corners (top-left, top-right, bottom-right, bottom-left), closed.
    location geometry (Polygon, 0) NOT NULL,
    x double precision NOT NULL,
    y double precision NOT NULL
);
CREATE INDEX user_position_image_created_idx ON user_position (image_id, created);
-- Consultation times scan one user's positions on one image in a time range.
CREATE INDEX user_position_user_image_idx ON user_position (user_id, image_id, created);

-- The last position of each user on each slice, upserted by every heartbeat.
CREATE TABLE last_user_position (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    slice_id bigint NOT NULL REFERENCES slice_instance (id) ON DELETE CASCADE,
    project_id bigint NOT NULL,
    zoom integer NOT NULL,
    rotation double precision NOT NULL,
    broadcast boolean NOT NULL,
    location geometry (Polygon, 0) NOT NULL,
    x double precision NOT NULL,
    y double precision NOT NULL,
    UNIQUE (user_id, slice_id)
);
CREATE INDEX last_user_position_image_idx ON last_user_position (image_id, created);

-- Who fetched a broadcaster's position lately (the viewer's "follow" mode polls it).
CREATE TABLE position_follower (
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    broadcaster_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    follower_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (image_id, broadcaster_id, follower_id)
);

CREATE TABLE image_consultation (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    mode text,
    -- Filled when the user opens the same image again (Cytomine closes it then).
    time bigint,
    count_created_annotations integer
);
CREATE INDEX image_consultation_project_user_idx
ON image_consultation (project_id, user_id, created);
CREATE INDEX image_consultation_user_idx ON image_consultation (user_id, created);

CREATE TABLE annotation_action (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    slice_id bigint REFERENCES slice_instance (id) ON DELETE SET NULL,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    action text NOT NULL CHECK (action <> ''),
    -- No foreign key: the action outlives the annotation, as in Cytomine.
    annotation_id bigint NOT NULL,
    annotation_class_name text NOT NULL,
    annotation_creator_id bigint NOT NULL
);
CREATE INDEX annotation_action_image_idx ON annotation_action (image_id, created);
CREATE INDEX annotation_action_slice_idx ON annotation_action (slice_id, created);
CREATE INDEX annotation_action_project_idx ON annotation_action (project_id, created);

-- Wire shape shared by the history and the last positions.
CREATE FUNCTION user_position_wire(
    class_name text, id bigint, created timestamptz, user_id bigint, image_id bigint,
    slice_id bigint, project_id bigint, zoom integer, rotation double precision,
    broadcast boolean, location geometry, x double precision, y double precision
) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT jsonb_build_object(
        'class', class_name, 'id', id, 'created', epoch_ms(created),
        'updated', epoch_ms(created), 'user', user_id, 'image', image_id, 'slice', slice_id,
        'project', project_id, 'zoom', zoom, 'rotation', rotation, 'broadcast', broadcast,
        'location', ST_AsText(location), 'x', x, 'y', y
    )
$$;

CREATE VIEW api_user_position AS
SELECT
    p.id,
    p.image_id,
    p.user_id,
    p.slice_id,
    p.created,
    user_position_wire(
        'be.cytomine.domain.social.PersistentUserPosition', p.id, p.created, p.user_id,
        p.image_id, p.slice_id, p.project_id, p.zoom, p.rotation, p.broadcast, p.location,
        p.x, p.y
    ) AS doc
FROM user_position AS p;

CREATE VIEW api_image_consultation AS
SELECT
    'be.cytomine.domain.social.PersistentImageConsultation' AS class,
    c.id,
    epoch_ms(c.created) AS created,
    c.user_id AS "user",
    c.image_id AS image,
    coalesce(i.instance_filename, a.original_filename) AS "imageName",
    s.url || '/api/imageinstance/' || c.image_id || '/thumb.png?maxSize=512' AS "imageThumb",
    c.mode,
    c.project_id AS project,
    NULL::bigint AS "projectConnection",
    c.time,
    c.count_created_annotations AS "countCreatedAnnotations"
FROM image_consultation AS c
JOIN image_instance AS i ON i.id = c.image_id
JOIN abstract_image AS a ON a.id = i.base_image_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;

CREATE VIEW api_annotation_action AS
SELECT
    'be.cytomine.domain.social.AnnotationAction' AS class,
    a.id,
    epoch_ms(a.created) AS created,
    a.user_id AS "user",
    a.image_id AS image,
    a.slice_id AS slice,
    a.project_id AS project,
    a.action,
    a.annotation_id AS "annotationIdent",
    a.annotation_class_name AS "annotationClassName",
    a.annotation_creator_id AS "annotationCreator"
FROM annotation_action AS a;
