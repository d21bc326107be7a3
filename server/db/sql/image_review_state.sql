-- An image instance's review state and what permission checks need (no row: no image).
-- $1 image_instance_id bigint
-- -> project_id bigint, user_id bigint, review_start timestamptz, review_stop timestamptz,
--    review_user_id bigint, review_username text
SELECT
    i.project_id,
    i.user_id,
    i.review_start,
    i.review_stop,
    i.review_user_id,
    u.username AS review_username
FROM image_instance AS i
LEFT JOIN sec_user AS u ON u.id = i.review_user_id
WHERE i.id = $1
