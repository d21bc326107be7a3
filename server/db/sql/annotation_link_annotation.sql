-- What an annotation link needs to know of an annotation, locked against a concurrent
-- delete until the transaction ends (no row: no such annotation). The owner of a reviewed
-- annotation is its reviewer.
-- $1 annotation_id bigint
-- -> project_id, owner_id, image_id bigint
SELECT
    a.project_id,
    CASE WHEN a.kind = 'reviewed' THEN a.reviewer_id ELSE a.user_id END AS owner_id,
    a.image_id
FROM annotation AS a
WHERE a.id = $1
FOR KEY SHARE
