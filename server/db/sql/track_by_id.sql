-- One track with its project and the user who added its image (no row: no such track).
-- $1 track_id bigint
-- -> obj text (Track object), project_id bigint, image_owner bigint
SELECT
    row_to_json(v)::text AS obj,
    v.project AS project_id,
    i.user_id AS image_owner
FROM api_track AS v
INNER JOIN image_instance AS i ON v.image = i.id
WHERE v.id = $1
