-- Put new annotations in annotation groups, on the annotations' images.
-- $1 annotation_ids bigint[], $2 group_ids bigint[] (pairwise)
-- -> nothing
INSERT INTO annotation_link (group_id, annotation_id, image_id)
SELECT p.group_id, a.id, a.image_id
FROM unnest($1::bigint [], $2::bigint []) AS p (annotation_id, group_id)
INNER JOIN annotation AS a ON p.annotation_id = a.id
