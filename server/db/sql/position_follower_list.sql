-- Users who fetched a broadcaster's position on an image in the last 20 seconds.
-- $1 image_id bigint, $2 broadcaster_id bigint
-- -> followers bigint[]
SELECT coalesce(array_agg(f.follower_id ORDER BY f.follower_id), '{}') AS followers
FROM position_follower AS f
WHERE
    f.image_id = $1
    AND f.broadcaster_id = $2
    AND f.seen >= now() - interval '20 seconds'
