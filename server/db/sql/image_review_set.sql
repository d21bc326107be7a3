-- Store an image instance's review state (start, stop and reviewer).
-- $1 image_instance_id bigint, $2 review_start timestamptz, $3 review_stop timestamptz,
-- $4 review_user_id bigint -> nothing
UPDATE image_instance
SET review_start = $2, review_stop = $3, review_user_id = $4, updated = now()
WHERE id = $1
