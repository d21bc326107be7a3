-- Remember that a user fetched a broadcaster's position on an image (follow mode polling).
-- $1 image_id bigint, $2 broadcaster_id bigint, $3 follower_id bigint
-- -> nothing
INSERT INTO position_follower (image_id, broadcaster_id, follower_id)
VALUES ($1, $2, $3)
ON CONFLICT (image_id, broadcaster_id, follower_id) DO UPDATE SET seen = now()
