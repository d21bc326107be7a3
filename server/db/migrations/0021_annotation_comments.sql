-- Comments on annotations (Cytomine's SharedAnnotation): a user shares an annotation with
-- receivers and a message. annotation_id has no foreign key (annotations of every kind are
-- deleted in bulk; one statement-level trigger forgets their comments instead).
-- receivers keeps the order given; ids of users deleted since are dropped by the view.

CREATE TABLE shared_annotation (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    annotation_id bigint NOT NULL,
    annotation_class_name text NOT NULL,
    sender_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    comment text,
    receivers bigint [] NOT NULL DEFAULT '{}'
);
-- Comments of one annotation, newest first; also counts nbComments.
CREATE INDEX shared_annotation_annotation_idx ON shared_annotation (annotation_id, created DESC);

CREATE VIEW api_shared_annotation AS
SELECT
    'be.cytomine.domain.ontology.SharedAnnotation'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.annotation_id AS "annotationIdent",
    s.annotation_class_name AS "annotationClassName",
    s.comment,
    s.sender_id AS sender,
    concat_ws(' ', u.firstname, u.lastname) AS "senderName",
    ARRAY(
        SELECT r.id
        FROM unnest(s.receivers) WITH ORDINALITY AS r (id, n)
        WHERE EXISTS (SELECT 1 FROM sec_user AS ru WHERE ru.id = r.id)
        ORDER BY r.n
    ) AS receivers
FROM shared_annotation AS s
INNER JOIN sec_user AS u ON s.sender_id = u.id;

-- Comments go with their annotation (Cytomine deletes dependent shared annotations).
CREATE FUNCTION shared_annotation_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM shared_annotation AS s WHERE s.annotation_id IN (SELECT r.id FROM removed AS r);
    RETURN NULL;
END
$$;
CREATE TRIGGER annotation_comments_forget AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION shared_annotation_forget();

-- nbComments counts the comments of each annotation (the rest is 0011's definition).
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
    (
        SELECT count(*)::integer FROM shared_annotation AS sa WHERE sa.annotation_id = a.id
    ) AS "nbComments",
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

CREATE OR REPLACE VIEW api_algo_annotation AS
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
    (
        SELECT count(*)::integer FROM shared_annotation AS sa WHERE sa.annotation_id = a.id
    ) AS "nbComments",
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

CREATE OR REPLACE VIEW api_reviewed_annotation AS
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
    (
        SELECT count(*)::integer FROM shared_annotation AS sa WHERE sa.annotation_id = a.id
    ) AS "nbComments",
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
