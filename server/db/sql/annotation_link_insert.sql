-- Link an annotation to an annotation group, on the annotation's image
-- (UniqueViolation: the annotation is in a group already).
-- $1 annotation_group_id bigint, $2 annotation_id bigint, $3 image_id bigint
-- -> id bigint
INSERT INTO annotation_link (group_id, annotation_id, image_id)
VALUES ($1, $2, $3)
RETURNING id
