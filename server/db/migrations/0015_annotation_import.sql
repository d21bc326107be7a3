-- Streaming annotation imports: one job row per upload, polled by clients for progress.
-- A job is committed before its rows load, and progress is written from another session, so
-- a client sees rows read/loaded/rejected while an atomic import is still inside its
-- transaction. (user_id, idempotency_key) is unique: a retried upload with the same
-- Idempotency-Key header finds the finished job instead of loading the rows twice.

CREATE TABLE annotation_import (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    finished timestamptz,
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    image_id bigint NOT NULL REFERENCES image_instance (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    idempotency_key text,
    format text NOT NULL CHECK (format IN ('geojson', 'ndjson')),
    atomic boolean NOT NULL DEFAULT true,
    status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'done', 'failed')),
    rows_read bigint NOT NULL DEFAULT 0,
    rows_loaded bigint NOT NULL DEFAULT 0,
    rows_rejected bigint NOT NULL DEFAULT 0,
    -- First rejections only ({"row", "message", "reason"}); rows_rejected has the full count.
    errors jsonb NOT NULL DEFAULT '[]',
    message text,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX annotation_import_image_idx ON annotation_import (image_id, created);

-- The job as clients poll it (wire names).
CREATE VIEW api_annotation_import AS
SELECT
    'be.cytomine.domain.ontology.AnnotationImport'::text AS "class",
    j.id,
    epoch_ms(j.created) AS created,
    epoch_ms(j.updated) AS updated,
    epoch_ms(j.finished) AS finished,
    j.user_id AS "user",
    j.image_id AS image,
    j.project_id AS project,
    j.idempotency_key AS "idempotencyKey",
    j.format,
    j.atomic,
    j.status,
    j.rows_read AS "rowsRead",
    j.rows_loaded AS "rowsLoaded",
    j.rows_rejected AS "rowsRejected",
    j.errors,
    j.message
FROM annotation_import AS j;

-- One CSV field (reports): always quoted, inner quotes doubled.
CREATE FUNCTION csv_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '"' || replace(coalesce(t, ''), '"', '""') || '"' $$;
