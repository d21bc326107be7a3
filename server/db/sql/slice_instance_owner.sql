-- Who added the image instance of a slice instance (restricted projects: owner edits).
-- $1 slice_instance_id bigint -> user_id bigint
SELECT i.user_id
FROM slice_instance AS si
JOIN image_instance AS i ON i.id = si.image_id
WHERE si.id = $1
