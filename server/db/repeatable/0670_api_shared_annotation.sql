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
