-- Image catalog: uploaded files, abstract images (one per stored file) and their slices
-- (channel x z x time planes), companion files, image instances (an abstract image placed in
-- a project) and their slices, and the one image server this process is.
-- Files live under the storage root directory (settings.storage_dir); paths are relative.

CREATE TABLE image_server (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL,
    -- Public base URL; rewritten at start-up from the settings (thumb/preview URLs use it).
    url text NOT NULL,
    base_path text,
    available boolean NOT NULL DEFAULT true
);
INSERT INTO image_server (name, url, base_path) VALUES ('lamina', 'http://127.0.0.1:8000', '/');

CREATE TABLE uploaded_file (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    user_id bigint NOT NULL REFERENCES sec_user (id),
    parent_id bigint REFERENCES uploaded_file (id) ON DELETE CASCADE,
    storage_id bigint NOT NULL REFERENCES storage (id),
    original_filename text NOT NULL,
    filename text NOT NULL,
    ext text,
    content_type text,
    size bigint NOT NULL DEFAULT 0,
    path text,
    -- Cytomine UploadedFileStatus codes (0 uploaded ... 11 error format ... 100 deployed).
    status integer NOT NULL DEFAULT 0,
    -- Why the file failed, in words a user can read (NULL unless status is an error).
    status_message text,
    projects bigint [] NOT NULL DEFAULT '{}'
);
CREATE INDEX uploaded_file_storage_idx ON uploaded_file (storage_id);
CREATE INDEX uploaded_file_parent_idx ON uploaded_file (parent_id);
CREATE INDEX uploaded_file_user_idx ON uploaded_file (user_id);

CREATE TABLE abstract_image (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    uploaded_file_id bigint NOT NULL REFERENCES uploaded_file (id) ON DELETE CASCADE,
    original_filename text,
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    depth integer NOT NULL DEFAULT 1,
    duration integer NOT NULL DEFAULT 1,
    channels integer NOT NULL DEFAULT 1,
    extrinsic_channels integer NOT NULL DEFAULT 3,
    physical_size_x double precision,
    physical_size_y double precision,
    physical_size_z double precision,
    fps double precision,
    magnification integer,
    bit_per_sample integer,
    sample_per_pixel integer,
    colorspace text,
    -- The file's own pyramid: native tile width and number of levels.
    native_tile_size integer,
    native_levels integer,
    associated text [] NOT NULL DEFAULT '{}',
    -- Vendor metadata read from the file, and key/value pairs given at upload.
    properties jsonb NOT NULL DEFAULT '{}',
    upload_properties jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX abstract_image_uploaded_file_idx ON abstract_image (uploaded_file_id);

CREATE TABLE abstract_slice (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    image_id bigint NOT NULL REFERENCES abstract_image (id) ON DELETE CASCADE,
    mime text,
    channel integer NOT NULL DEFAULT 0,
    z_stack integer NOT NULL DEFAULT 0,
    "time" integer NOT NULL DEFAULT 0,
    channel_name text,
    channel_color text,
    z_name text,
    UNIQUE (image_id, channel, z_stack, "time")
);

CREATE TABLE companion_file (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    uploaded_file_id bigint REFERENCES uploaded_file (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES abstract_image (id) ON DELETE CASCADE,
    original_filename text,
    filename text,
    type text,
    progress integer NOT NULL DEFAULT 0
);
CREATE INDEX companion_file_image_idx ON companion_file (image_id);
CREATE INDEX companion_file_uploaded_file_idx ON companion_file (uploaded_file_id);

CREATE TABLE image_instance (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    -- An abstract image in use by a project cannot be deleted (Cytomine refuses too).
    base_image_id bigint NOT NULL REFERENCES abstract_image (id),
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES sec_user (id),
    instance_filename text,
    -- NULL = the abstract image's value.
    physical_size_x double precision,
    physical_size_y double precision,
    physical_size_z double precision,
    fps double precision,
    magnification integer,
    review_start timestamptz,
    review_stop timestamptz,
    review_user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    count_annotations bigint NOT NULL DEFAULT 0,
    count_job_annotations bigint NOT NULL DEFAULT 0,
    count_reviewed_annotations bigint NOT NULL DEFAULT 0,
    UNIQUE (project_id, base_image_id)
);
CREATE INDEX image_instance_base_image_idx ON image_instance (base_image_id);

CREATE TABLE slice_instance (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    base_slice_id bigint NOT NULL REFERENCES abstract_slice (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    UNIQUE (image_id, base_slice_id)
);
CREATE INDEX slice_instance_base_slice_idx ON slice_instance (base_slice_id);
CREATE INDEX slice_instance_project_idx ON slice_instance (project_id);

-- project.count_images follows the image instances (a cascade from the project itself
-- updates nothing: the row is already gone).
CREATE FUNCTION image_instance_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE project SET count_images = count_images + 1 WHERE id = NEW.project_id;
    ELSE
        UPDATE project SET count_images = count_images - 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER image_instance_count AFTER INSERT OR DELETE ON image_instance
FOR EACH ROW EXECUTE FUNCTION image_instance_count();

-- Zoom levels of the normalized 256-px pyramid: tier 0 fits one tile, tier `zoom` is full
-- resolution (the Web UI's grid uses resolutions 2^zoom ... 1).
CREATE FUNCTION normalized_zoom(width integer, height integer) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT count(*)::integer
    FROM generate_series(0, 30) AS k
    WHERE (256::bigint << k) < greatest(width, height)
$$;

CREATE FUNCTION uploaded_file_status_text(status integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE status
        WHEN 0 THEN 'UPLOADED' WHEN 10 THEN 'DETECTING_FORMAT' WHEN 11 THEN 'ERROR_FORMAT'
        WHEN 20 THEN 'EXTRACTING_DATA' WHEN 21 THEN 'ERROR_EXTRACTION'
        WHEN 30 THEN 'CONVERTING' WHEN 31 THEN 'ERROR_CONVERSION'
        WHEN 40 THEN 'DEPLOYING' WHEN 41 THEN 'ERROR_DEPLOYMENT'
        WHEN 50 THEN 'UNPACKING' WHEN 51 THEN 'ERROR_UNPACKING'
        WHEN 60 THEN 'CHECKING_INTEGRITY' WHEN 61 THEN 'ERROR_INTEGRITY'
        WHEN 100 THEN 'DEPLOYED' WHEN 102 THEN 'EXTRACTED' WHEN 104 THEN 'CONVERTED'
        WHEN 106 THEN 'UNPACKED'
    END
$$;

CREATE VIEW api_image_server AS
SELECT
    'be.cytomine.middleware.ImageServer'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.url,
    s.base_path AS "basePath",
    s.available
FROM image_server AS s;

CREATE VIEW api_uploaded_file AS
SELECT
    'be.cytomine.domain.image.UploadedFile'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.user_id AS "user",
    f.parent_id AS parent,
    f.storage_id AS storage,
    f.original_filename AS "originalFilename",
    f.filename,
    f.ext,
    f.content_type AS "contentType",
    f.size,
    f.path,
    false AS "isArchive",
    f.status,
    uploaded_file_status_text(f.status) AS "statusText",
    f.projects
FROM uploaded_file AS f;

CREATE VIEW api_abstract_image AS
SELECT
    'be.cytomine.domain.image.AbstractImage'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    f.filename,
    a.original_filename AS "originalFilename",
    a.uploaded_file_id AS "uploadedFile",
    f.path,
    f.content_type AS "contentType",
    a.width,
    a.height,
    a.depth,
    a.duration,
    a.channels,
    a.extrinsic_channels AS "extrinsicChannels",
    CASE WHEN a.channels > 1 THEN 'XYC' ELSE 'XY' END
    || CASE WHEN a.depth > 1 THEN 'Z' ELSE '' END
    || CASE WHEN a.duration > 1 THEN 'T' ELSE '' END AS dimensions,
    a.extrinsic_channels AS "apparentChannels",
    a.physical_size_x AS "physicalSizeX",
    a.physical_size_y AS "physicalSizeY",
    a.physical_size_z AS "physicalSizeZ",
    a.fps,
    normalized_zoom(a.width, a.height) AS zoom,
    256 AS "tileSize",
    false AS "isVirtual",
    a.magnification,
    a.bit_per_sample AS "bitPerSample",
    a.sample_per_pixel AS "samplePerPixel",
    a.colorspace,
    s.url || '/api/abstractimage/' || a.id || '/thumb.png?maxSize=512' AS thumb,
    s.url || '/api/abstractimage/' || a.id || '/preview.png?maxSize=1024' AS preview,
    CASE WHEN 'macro' = ANY(a.associated)
        THEN s.url || '/api/abstractimage/' || a.id || '/associated/macro.png?maxSize=512'
    END AS "macroURL",
    NULL::boolean AS "inProject"
FROM abstract_image AS a
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;

CREATE VIEW api_abstract_slice AS
SELECT
    'be.cytomine.domain.image.AbstractSlice'::text AS "class",
    sl.id,
    epoch_ms(sl.created) AS created,
    epoch_ms(sl.updated) AS updated,
    a.uploaded_file_id AS "uploadedFile",
    f.path,
    sl.image_id AS image,
    sl.mime,
    sl.channel,
    sl.z_stack AS "zStack",
    sl."time",
    sl.channel + a.channels * (sl.z_stack + a.depth * sl."time") AS rank,
    sl.channel_name AS "channelName",
    sl.channel_color AS "channelColor",
    sl.z_name AS "zName"
FROM abstract_slice AS sl
JOIN abstract_image AS a ON a.id = sl.image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id;

CREATE VIEW api_companion_file AS
SELECT
    'be.cytomine.domain.image.CompanionFile'::text AS "class",
    cf.id,
    epoch_ms(cf.created) AS created,
    epoch_ms(cf.updated) AS updated,
    cf.uploaded_file_id AS "uploadedFile",
    f.path,
    cf.image_id AS image,
    cf.original_filename AS "originalFilename",
    cf.filename,
    cf.type,
    cf.progress,
    f.status,
    uploaded_file_status_text(f.status) AS "statusText"
FROM companion_file AS cf
LEFT JOIN uploaded_file AS f ON f.id = cf.uploaded_file_id;

-- Blind mode hides filenames: the instance id stands in for them (blindedName).
CREATE VIEW api_image_instance AS
SELECT
    'be.cytomine.domain.image.ImageInstance'::text AS "class",
    i.id,
    epoch_ms(i.created) AS created,
    epoch_ms(i.updated) AS updated,
    i.base_image_id AS "baseImage",
    i.project_id AS project,
    i.user_id AS "user",
    CASE WHEN p.blind_mode THEN i.id::text
        ELSE coalesce(i.instance_filename, a.original_filename) END AS "instanceFilename",
    CASE WHEN p.blind_mode THEN i.id::text ELSE a.original_filename END AS "originalFilename",
    f.filename,
    CASE WHEN p.blind_mode THEN i.id::text END AS "blindedName",
    f.path,
    f.content_type AS "contentType",
    a.width,
    a.height,
    a.depth,
    a.duration,
    a.channels,
    a.extrinsic_channels AS "extrinsicChannels",
    coalesce(i.physical_size_x, a.physical_size_x) AS "physicalSizeX",
    coalesce(i.physical_size_y, a.physical_size_y) AS "physicalSizeY",
    coalesce(i.physical_size_z, a.physical_size_z) AS "physicalSizeZ",
    coalesce(i.fps, a.fps) AS fps,
    normalized_zoom(a.width, a.height) AS zoom,
    256 AS "tileSize",
    false AS "isVirtual",
    coalesce(i.magnification, a.magnification) AS magnification,
    a.bit_per_sample AS "bitPerSample",
    a.sample_per_pixel AS "samplePerPixel",
    a.colorspace,
    epoch_ms(i.review_start) AS "reviewStart",
    epoch_ms(i.review_stop) AS "reviewStop",
    i.review_user_id AS "reviewUser",
    i.review_stop IS NOT NULL AS reviewed,
    (i.review_start IS NOT NULL AND i.review_stop IS NULL) AS "inReview",
    i.count_annotations AS "numberOfAnnotations",
    i.count_job_annotations AS "numberOfJobAnnotations",
    i.count_reviewed_annotations AS "numberOfReviewedAnnotations",
    s.url || '/api/imageinstance/' || i.id || '/thumb.png?maxSize=512' AS thumb,
    s.url || '/api/imageinstance/' || i.id || '/preview.png?maxSize=1024' AS preview,
    CASE WHEN 'macro' = ANY(a.associated)
        THEN s.url || '/api/imageinstance/' || i.id || '/associated/macro.png?maxSize=512'
    END AS "macroURL"
FROM image_instance AS i
JOIN project AS p ON p.id = i.project_id
JOIN abstract_image AS a ON a.id = i.base_image_id
JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;

CREATE VIEW api_slice_instance AS
SELECT
    'be.cytomine.domain.image.SliceInstance'::text AS "class",
    si.id,
    epoch_ms(si.created) AS created,
    epoch_ms(si.updated) AS updated,
    v."uploadedFile",
    si.project_id AS project,
    si.base_slice_id AS "baseSlice",
    si.image_id AS image,
    v.path,
    v.mime,
    v.channel,
    v."zStack",
    v."time",
    v.rank,
    v."channelName",
    v."channelColor",
    v."zName"
FROM slice_instance AS si
JOIN api_abstract_slice AS v ON v.id = si.base_slice_id;

-- Read rights used by the image statements (admins bypass them in the statements).
CREATE FUNCTION storage_readable(storage_id bigint, user_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (SELECT 1 FROM storage AS s WHERE s.id = $1 AND s.user_id = $2)
        OR EXISTS (
            SELECT 1 FROM storage_member AS m WHERE m.storage_id = $1 AND m.user_id = $2
        )
$$;

CREATE FUNCTION project_readable(project_id bigint, user_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (
        SELECT 1 FROM project_member AS m WHERE m.project_id = $1 AND m.user_id = $2
    )
$$;
