-- Custom UI, image filters and configuration rules.
--
-- Custom UI: which menus, tabs, panels and tools the Web UI shows. Global keys list the roles
-- that see them ('ALL' for everyone); project keys have one default for project managers
-- (ADMIN_PROJECT) and one for contributors (CONTRIBUTOR_PROJECT). Key names and defaults
-- are Cytomine's (core application-custom-ui.yml); a project manager may override the
-- project keys of one project, stored whole in custom_ui_project (a new save replaces the
-- previous one; keys left out fall back to the defaults).

CREATE TABLE custom_ui_global (
    key text PRIMARY KEY,
    roles text [] NOT NULL,
    ordinal integer NOT NULL UNIQUE
);

INSERT INTO custom_ui_global (key, roles, ordinal) VALUES
    ('dashboard', ARRAY['ALL'], 1),
    ('search', ARRAY['ROLE_ADMIN'], 2),
    ('project', ARRAY['ALL'], 3),
    ('ontology', ARRAY['ROLE_ADMIN'], 4),
    ('storage', ARRAY['ROLE_USER', 'ROLE_ADMIN'], 5),
    ('software', ARRAY['ROLE_ADMIN'], 6),
    ('activity', ARRAY['ALL'], 7),
    ('admin', ARRAY['ROLE_ADMIN'], 8),
    ('help', ARRAY['ALL'], 9),
    ('feedback', ARRAY['ROLE_USER', 'ROLE_ADMIN'], 10),
    ('explore', ARRAY['ROLE_USER', 'ROLE_ADMIN'], 11);

CREATE TABLE custom_ui_project_default (
    key text PRIMARY KEY,
    admin_project boolean NOT NULL,
    contributor_project boolean NOT NULL,
    ordinal integer NOT NULL UNIQUE
);

INSERT INTO custom_ui_project_default (key, admin_project, contributor_project, ordinal) VALUES
    ('project-apps-tab', true, true, 1),
    ('project-images-tab', true, true, 2),
    ('project-image-groups-tab', true, true, 3),
    ('project-annotations-tab', true, true, 4),
    ('project-jobs-tab', false, false, 5),
    ('project-activities-tab', true, false, 6),
    ('project-information-tab', true, true, 7),
    ('project-configuration-tab', true, false, 8),
    ('project-report-tab', true, true, 9),
    ('project-explore-image-overview', true, true, 10),
    ('project-explore-image-description', true, true, 11),
    ('project-explore-image-tags', true, true, 12),
    ('project-explore-image-tracks', true, true, 13),
    ('project-explore-image-properties', true, true, 14),
    ('project-explore-image-attached-files', true, true, 15),
    ('project-explore-image-slide-preview', true, true, 16),
    ('project-explore-image-original-filename', true, true, 17),
    ('project-explore-hide-tools', true, true, 18),
    ('project-explore-overview', true, true, 19),
    ('project-explore-info', true, true, 20),
    ('project-explore-digital-zoom', true, true, 21),
    ('project-explore-link', true, true, 22),
    ('project-explore-color-manipulation', true, true, 23),
    ('project-explore-image-layers', true, true, 24),
    ('project-explore-ontology', true, true, 25),
    ('project-explore-review', true, true, 26),
    ('project-explore-job', true, true, 27),
    ('project-explore-property', true, true, 28),
    ('project-explore-follow', true, true, 29),
    ('project-explore-guided-tour', true, true, 30),
    ('project-explore-slide-label', true, true, 31),
    ('project-explore-annotation-main', true, true, 32),
    ('project-explore-annotation-geometry-info', true, true, 33),
    ('project-explore-annotation-info', true, true, 34),
    ('project-explore-annotation-comments', true, true, 35),
    ('project-explore-annotation-preview', true, true, 36),
    ('project-explore-annotation-properties', true, true, 37),
    ('project-explore-annotation-description', true, true, 38),
    ('project-explore-annotation-panel', true, true, 39),
    ('project-explore-annotation-terms', true, true, 40),
    ('project-explore-annotation-tags', true, true, 41),
    ('project-explore-annotation-attached-files', true, true, 42),
    ('project-explore-annotation-creation-info', true, true, 43),
    ('project-explore-annotation-tracks', true, true, 44),
    ('project-explore-annotation-linked-annotations', true, true, 45),
    ('project-explore-image-metadata', true, true, 46),
    ('project-explore-annotations-list', true, true, 47),
    ('project-tools-main', true, true, 48),
    ('project-tools-select', true, true, 49),
    ('project-tools-point', true, true, 50),
    ('project-tools-line', true, true, 51),
    ('project-tools-freehand-line', true, true, 52),
    ('project-tools-arrow', true, true, 53),
    ('project-tools-rectangle', true, true, 54),
    ('project-tools-diamond', true, true, 55),
    ('project-tools-circle', true, true, 56),
    ('project-tools-polygon', true, true, 57),
    ('project-tools-freehand-polygon', true, true, 58),
    ('project-tools-magic-wand', true, true, 59),
    ('project-tools-freehand', true, true, 60),
    ('project-tools-union', true, true, 61),
    ('project-tools-diff', true, true, 62),
    ('project-tools-fill', true, true, 63),
    ('project-tools-rule', true, true, 64),
    ('project-tools-edit', true, true, 65),
    ('project-tools-resize', true, true, 66),
    ('project-tools-rotate', true, true, 67),
    ('project-tools-move', true, true, 68),
    ('project-tools-delete', true, true, 69),
    ('project-tools-screenshot', true, true, 70),
    ('project-tools-copy-paste', true, true, 71),
    ('project-tools-undo-redo', true, true, 72),
    ('project-tools-link', true, true, 73),
    ('project-tools-unlink', true, true, 74),
    ('project-annotations-term-piegraph', true, true, 75),
    ('project-annotations-term-bargraph', true, true, 76),
    ('project-annotations-users-graph', true, true, 77),
    ('project-annotated-slides-term-graph', true, true, 78),
    ('project-annotated-slides-users-graph', true, true, 79),
    ('project-annotation-graph', true, true, 80),
    ('project-users-global-activities-graph', true, true, 81),
    ('project-users-heatmap-graph', true, true, 82);

CREATE TABLE custom_ui_project (
    project_id bigint PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL,
    config jsonb NOT NULL CHECK (jsonb_typeof(config) = 'object')
);

-- The project keys in force in one project: each key's stored override, else its default.
-- With a NULL project, the defaults.
CREATE FUNCTION custom_ui_project_settings(target_project bigint)
RETURNS TABLE (key text, setting jsonb, ordinal integer)
LANGUAGE sql STABLE
AS $$
    SELECT
        d.key,
        coalesce(
            s.config -> d.key,
            jsonb_build_object(
                'ADMIN_PROJECT', d.admin_project,
                'CONTRIBUTOR_PROJECT', d.contributor_project
            )
        ),
        d.ordinal
    FROM custom_ui_project_default AS d
    LEFT JOIN custom_ui_project AS s ON s.project_id = target_project
$$;

-- Image filters the viewer offers (processed by the image server), and the ones each
-- project enables. The catalogue is Cytomine's default set of filters.

CREATE TABLE image_filter (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    method text,
    available boolean NOT NULL DEFAULT true
);

INSERT INTO image_filter (name, method, available) VALUES
    ('Binary', 'binary', true),
    ('Huang Threshold', 'huang', false),
    ('Intermodes Threshold', 'intermodes', false),
    ('IsoData Threshold', 'isodata', true),
    ('Li Threshold', 'li', false),
    ('Max Entropy Threshold', 'maxentropy', false),
    ('Mean Threshold', 'mean', true),
    ('Minimum Threshold', 'minimum', true),
    ('MinError(I) Threshold', 'minerror', false),
    ('Moments Threshold', 'moments', false),
    ('Otsu Threshold', 'otsu', true),
    ('Renyi Entropy Threshold', 'renyientropy', false),
    ('Shanbhag Threshold', 'shanbhag', false),
    ('Triangle Threshold', 'triangle', false),
    ('Yen Threshold', 'yen', true),
    ('Percentile Threshold', 'percentile', false),
    ('H&E Haematoxylin', 'he-haematoxylin', true),
    ('H&E Eosin', 'he-eosin', true),
    ('HDAB Haematoxylin', 'hdab-haematoxylin', true),
    ('HDAB DAB', 'hdab-dab', true),
    ('Haematoxylin', 'haematoxylin', false),
    ('Eosin', 'eosin', false),
    ('Red (RGB)', 'r_rgb', true),
    ('Green (RGB)', 'g_rgb', true),
    ('Blue (RGB)', 'b_rgb', true),
    ('Cyan (CMY)', 'c_cmy', true),
    ('Magenta (CMY)', 'm_cmy', true),
    ('Yellow (CMY)', 'y_cmy', true);

CREATE TABLE image_filter_project (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    image_filter_id bigint NOT NULL REFERENCES image_filter (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    UNIQUE (project_id, image_filter_id)
);
CREATE INDEX image_filter_project_filter_idx ON image_filter_project (image_filter_id);

CREATE VIEW api_image_filter AS
SELECT
    'be.cytomine.domain.processing.ImageFilter'::text AS "class",
    f.id,
    epoch_ms(f.created) AS created,
    epoch_ms(f.updated) AS updated,
    f.name,
    f.method,
    f.available,
    '/filters/' || f.method || '&url=' AS "baseUrl"
FROM image_filter AS f;

CREATE VIEW api_image_filter_project AS
SELECT
    'be.cytomine.domain.processing.ImageFilterProject'::text AS "class",
    fp.id,
    epoch_ms(fp.created) AS created,
    epoch_ms(fp.updated) AS updated,
    fp.image_filter_id AS "imageFilter",
    fp.project_id AS project,
    '/filters/' || f.method || '&url=' AS "baseUrl",
    f.name,
    f.method,
    f.available
FROM image_filter_project AS fp
INNER JOIN image_filter AS f ON f.id = fp.image_filter_id;

-- Configuration (table of 0001): Cytomine requires a key without dots.
ALTER TABLE configuration
ADD CONSTRAINT configuration_key_check CHECK (key ~ '^[^.]+$' AND btrim(key) <> '');

CREATE VIEW api_configuration AS
SELECT
    'be.cytomine.domain.meta.Configuration'::text AS "class",
    c.id,
    epoch_ms(c.created) AS created,
    epoch_ms(c.updated) AS updated,
    c.key,
    c.value,
    c.reading_role AS "readingRole"
FROM configuration AS c;
