-- QuPath GeoJSON interchange: imports may read QuPath's frame (y down) and count the class
-- names that matched no term; exports give a term's colour as QuPath's [r, g, b] array.

ALTER TABLE annotation_import DROP CONSTRAINT annotation_import_format_check;
ALTER TABLE annotation_import
ADD CONSTRAINT annotation_import_format_check
CHECK (format IN ('geojson', 'ndjson', 'qupath'));

-- {class name: features} of the names no term of the project's ontology carries.
ALTER TABLE annotation_import ADD COLUMN unmatched_classes jsonb NOT NULL DEFAULT '{}';

CREATE OR REPLACE VIEW api_annotation_import AS
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
    j.message,
    j.unmatched_classes AS "unmatchedClasses"
FROM annotation_import AS j;

-- A '#RRGGBB' colour as a JSON [r, g, b] array of 0-255 integers (NULL for any other text).
CREATE FUNCTION color_rgb(color text) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN color ~ '^#[0-9A-Fa-f]{6}$' THEN json_build_array(
        ('x' || substr(color, 2, 2))::bit(8)::int,
        ('x' || substr(color, 4, 2))::bit(8)::int,
        ('x' || substr(color, 6, 2))::bit(8)::int
    ) END
$$;
