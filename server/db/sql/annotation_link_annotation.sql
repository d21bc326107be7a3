-- What an annotation link needs to know of an annotation, locked against a concurrent
-- delete until the transaction ends (no row: no such annotation). The owner of a reviewed
-- annotation is its reviewer. The image is named (annotation_track_annotation finds it): the
-- lock is taken on that image's rows, one shard of a distributed table.
-- $1 annotation_id bigint, $2 image_id bigint
-- -> project_id, owner_id, image_id bigint
SELECT
    a.project_id,
    CASE WHEN a.kind = 'reviewed' THEN a.reviewer_id ELSE a.user_id END AS owner_id,
    a.image_id
FROM annotation AS a
WHERE a.id = $1 AND a.image_id = $2
FOR KEY SHARE
