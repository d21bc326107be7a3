-- Algo (job) and reviewed annotations live in the annotation table beside user annotations,
-- so the GiST (image_id, location) index and every spatial query serve all kinds.
-- kind 'user': drawn by a user; 'algo': produced by a job; 'reviewed': a reviewer's validated
-- copy of another annotation (parent_id), carrying its own terms.

ALTER TABLE annotation
    ADD COLUMN kind text NOT NULL DEFAULT 'user'
    CHECK (kind IN ('user', 'algo', 'reviewed')),
    -- The reviewed annotation: a plain id, as Cytomine's parentIdent (deleting the parent
    -- keeps the validated copy).
    ADD COLUMN parent_id bigint,
    ADD COLUMN reviewer_id bigint REFERENCES sec_user (id),
    -- Cytomine's ReviewedAnnotation.status (1 once validated).
    ADD COLUMN review_status integer;
-- One validated copy per annotation; finds it from its parent.
CREATE UNIQUE INDEX annotation_parent_idx ON annotation (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX annotation_reviewer_idx ON annotation (reviewer_id) WHERE reviewer_id IS NOT NULL;

-- Term links of every kind. kind copies the annotation's (per-term counts of user annotations
-- filter on it without a join); rate and expected_term_id are an algo term's (job results).
ALTER TABLE annotation_term
    ADD COLUMN kind text NOT NULL DEFAULT 'user'
    CHECK (kind IN ('user', 'algo', 'reviewed')),
    ADD COLUMN rate double precision,
    ADD COLUMN expected_term_id bigint REFERENCES term (id) ON DELETE SET NULL;

-- Each kind keeps its own counter: user -> count_annotations, algo -> count_job_annotations,
-- reviewed -> count_reviewed_annotations (still once per statement).
CREATE OR REPLACE FUNCTION annotation_count_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project AS p SET
        count_annotations = p.count_annotations + n.u,
        count_job_annotations = p.count_job_annotations + n.a,
        count_reviewed_annotations = p.count_reviewed_annotations + n.r
    FROM (
        SELECT
            project_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM added GROUP BY project_id
    ) AS n
    WHERE p.id = n.project_id;
    UPDATE image_instance AS i SET
        count_annotations = i.count_annotations + n.u,
        count_job_annotations = i.count_job_annotations + n.a,
        count_reviewed_annotations = i.count_reviewed_annotations + n.r
    FROM (
        SELECT
            image_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM added GROUP BY image_id
    ) AS n
    WHERE i.id = n.image_id;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION annotation_count_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project AS p SET
        count_annotations = p.count_annotations - n.u,
        count_job_annotations = p.count_job_annotations - n.a,
        count_reviewed_annotations = p.count_reviewed_annotations - n.r
    FROM (
        SELECT
            project_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM removed GROUP BY project_id
    ) AS n
    WHERE p.id = n.project_id;
    UPDATE image_instance AS i SET
        count_annotations = i.count_annotations - n.u,
        count_job_annotations = i.count_job_annotations - n.a,
        count_reviewed_annotations = i.count_reviewed_annotations - n.r
    FROM (
        SELECT
            image_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM removed GROUP BY image_id
    ) AS n
    WHERE i.id = n.image_id;
    RETURN NULL;
END
$$;

-- User annotations only; reviewed/countReviewedAnnotations follow the validated copy.
CREATE OR REPLACE VIEW api_annotation AS
SELECT
    'be.cytomine.domain.ontology.UserAnnotation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.slice_id AS slice,
    a.image_id AS image,
    a.project_id AS project,
    a.user_id AS "user",
    st_astext(a.location) AS location,
    a.geometry_compression AS "geometryCompression",
    json_build_object('x', st_x(c.centroid), 'y', st_y(c.centroid)) AS centroid,
    a.area,
    a.area_unit AS "areaUnit",
    a.perimeter,
    a.perimeter_unit AS "perimeterUnit",
    coalesce(t.terms, '{}') AS term,
    coalesce(t.user_by_term, '[]') AS "userByTerm",
    0 AS "nbComments",
    s.url || '/api/userannotation/' || a.id || '/crop.png' AS "cropURL",
    s.url || '/api/userannotation/' || a.id || '/crop.png?maxSize=256' AS "smallCropURL",
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
    || '/annotation/' || a.id AS url,
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id AS "imageURL",
    r.reviewed,
    r.reviewed::integer AS "countReviewedAnnotations",
    '{}'::bigint [] AS track
FROM annotation AS a
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
CROSS JOIN LATERAL (
    SELECT EXISTS (SELECT 1 FROM annotation AS ra WHERE ra.parent_id = a.id) AS reviewed
) AS r
LEFT JOIN LATERAL (
    SELECT
        array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms,
        json_agg(
            json_build_object('id', at.id, 'term', at.term_id, 'user', ARRAY[at.user_id])
            ORDER BY at.term_id
        ) AS user_by_term
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
WHERE a.kind = 'user';

-- Cytomine's AlgoAnnotation JSON (annotations made by jobs).
CREATE VIEW api_algo_annotation AS
SELECT
    'be.cytomine.domain.ontology.AlgoAnnotation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.slice_id AS slice,
    a.image_id AS image,
    a.project_id AS project,
    a.user_id AS "user",
    st_astext(a.location) AS location,
    a.geometry_compression AS "geometryCompression",
    json_build_object('x', st_x(c.centroid), 'y', st_y(c.centroid)) AS centroid,
    a.area,
    a.area_unit AS "areaUnit",
    a.perimeter,
    a.perimeter_unit AS "perimeterUnit",
    coalesce(t.terms, '{}') AS term,
    0 AS "nbComments",
    s.url || '/api/algoannotation/' || a.id || '/crop.png' AS "cropURL",
    s.url || '/api/algoannotation/' || a.id || '/crop.png?maxSize=256' AS "smallCropURL",
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
    || '/annotation/' || a.id AS url,
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id AS "imageURL",
    EXISTS (SELECT 1 FROM annotation AS ra WHERE ra.parent_id = a.id) AS reviewed,
    '{}'::bigint [] AS track
FROM annotation AS a
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
WHERE a.kind = 'algo';

-- Cytomine's ReviewedAnnotation JSON. The parent's class comes from the parent row while it
-- exists (a deleted parent was a user annotation unless it was a job's).
CREATE VIEW api_reviewed_annotation AS
SELECT
    'be.cytomine.domain.ontology.ReviewedAnnotation'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.slice_id AS slice,
    a.image_id AS image,
    a.project_id AS project,
    a.user_id AS "user",
    st_astext(a.location) AS location,
    a.geometry_compression AS "geometryCompression",
    json_build_object('x', st_x(c.centroid), 'y', st_y(c.centroid)) AS centroid,
    a.area,
    a.area_unit AS "areaUnit",
    a.perimeter,
    a.perimeter_unit AS "perimeterUnit",
    coalesce(t.terms, '{}') AS term,
    0 AS "nbComments",
    a.parent_id AS "parentIdent",
    CASE
        WHEN p.kind = 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END AS "parentClassName",
    coalesce(a.review_status, 1) AS status,
    a.reviewer_id AS "reviewUser",
    coalesce(t.terms, '{}') AS terms,
    s.url || '/api/reviewedannotation/' || a.id || '/crop.png' AS "cropURL",
    s.url || '/api/reviewedannotation/' || a.id || '/crop.png?maxSize=256' AS "smallCropURL",
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id
    || '/annotation/' || a.id AS url,
    s.url || '/#/project/' || a.project_id || '/image/' || a.image_id AS "imageURL",
    true AS reviewed
FROM annotation AS a
CROSS JOIN LATERAL (SELECT st_centroid(a.location) AS centroid) AS c
LEFT JOIN annotation AS p ON p.id = a.parent_id
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT at.term_id ORDER BY at.term_id) AS terms
    FROM annotation_term AS at
    WHERE at.annotation_id = a.id
) AS t ON true
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s
WHERE a.kind = 'reviewed';

-- Cytomine's AnnotationTerm JSON (a user's term on a user annotation).
CREATE VIEW api_annotation_term AS
SELECT
    'be.cytomine.domain.ontology.AnnotationTerm'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    NULL::text AS updated,
    t.annotation_id AS userannotation,
    t.term_id AS term,
    t.user_id AS "user"
FROM annotation_term AS t;

-- Cytomine's AlgoAnnotationTerm JSON (a job's term on an annotation, with its confidence).
CREATE VIEW api_algo_annotation_term AS
SELECT
    'be.cytomine.domain.ontology.AlgoAnnotationTerm'::text AS "class",
    t.id,
    epoch_ms(t.created) AS created,
    NULL::text AS updated,
    t.annotation_id AS "annotationIdent",
    CASE
        WHEN t.kind = 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END AS "annotationClassName",
    t.annotation_id AS annotation,
    t.term_id AS term,
    t.expected_term_id AS "expectedTerm",
    coalesce(t.rate, 1.0) AS rate,
    t.user_id AS "user",
    t.project_id AS project
FROM annotation_term AS t;
