-- Store a comment on an annotation, counted into the annotation's comment_count (its
-- nbComments); receivers that are no user are dropped.
-- $1 annotation_id bigint, $2 annotation_class_name text, $3 sender_id bigint,
-- $4 comment text, $5 receivers bigint[]
-- -> id bigint
WITH counted AS (
    UPDATE annotation AS a
    SET comment_count = a.comment_count + 1
    WHERE a.id = $1
)

INSERT INTO shared_annotation (annotation_id, annotation_class_name, sender_id, comment, receivers)
VALUES (
    $1, $2, $3, $4,
    ARRAY(
        SELECT r.id
        FROM unnest($5::bigint []) WITH ORDINALITY AS r (id, n)
        WHERE EXISTS (SELECT 1 FROM sec_user AS u WHERE u.id = r.id)
        GROUP BY r.id
        ORDER BY min(r.n)
    )
)
RETURNING id
