-- Forget that a user follows a broadcaster on an image (their follow socket closed).
-- $1 image_id bigint, $2 broadcaster_id bigint, $3 follower_id bigint
-- -> nothing
DELETE FROM position_follower
WHERE image_id = $1 AND broadcaster_id = $2 AND follower_id = $3
