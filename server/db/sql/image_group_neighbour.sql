-- The image $3 steps away (1: next, -1: previous) from an image of an image group, in the
-- group ordered by instance filename then id; circular wraps at the ends (no row: none).
-- $1 image_group_id bigint, $2 image_id bigint, $3 step integer, $4 circular bool,
-- $5 viewer_id bigint, $6 viewer_is_admin bool
-- -> obj text (ImageInstance object, its annotation count the one the viewer sees)
WITH members AS (
    SELECT
        v.id,
        jsonb_set(
            to_jsonb(v),
            '{numberOfAnnotations}',
            to_jsonb(visible_annotation_count(v.project, v.id, v."numberOfAnnotations", $5, $6))
        )::text AS obj,
        row_number() OVER (ORDER BY v."instanceFilename", v.id) - 1 AS pos,
        count(*) OVER () AS n
    FROM image_group_image_instance AS gi
    INNER JOIN api_image_instance AS v ON gi.image_id = v.id
    WHERE gi.group_id = $1
)

SELECT m.obj
FROM members AS m
INNER JOIN members AS cur ON cur.id = $2
WHERE m.pos = CASE
    WHEN $4 THEN ((cur.pos + $3) % cur.n + cur.n) % cur.n
    ELSE cur.pos + $3
END
