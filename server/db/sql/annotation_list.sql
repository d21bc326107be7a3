-- Annotation listing for every filter combination but the viewer's image + bbox window
-- (annotation_list_bbox): low-volume filters written as `($n IS NULL OR ...)` arms.
-- $1 user_id bigint, $2 bypass bool (admin), $3 project_id bigint, $4 image_ids bigint[],
-- $5 slice_ids bigint[], $6 user_ids bigint[], $7 term_ids bigint[], $8 no_term bool,
-- $9..$12 bbox envelope minx, miny, maxx, maxy float8, $13 bbox polygon bytea (WKB, NULL when
-- the bbox is the envelope), $14 limit bigint (NULL = all), $15 offset bigint,
-- $16 hidden keys text[] (the hidden show*/hide* groups)
-- -> size bigint, items text (JSON array of annotations, newest first; NULL when empty)
WITH matched AS (
    SELECT a.id
    FROM annotation AS a
    WHERE
        ($2 OR a.project_id IN (SELECT m.project_id FROM project_member AS m WHERE m.user_id = $1))
        AND ($3::bigint IS NULL OR a.project_id = $3)
        AND ($5::bigint [] IS NULL OR a.slice_id = ANY($5))
        AND ($6::bigint [] IS NULL OR a.user_id = ANY($6))
        AND (
            ($7::bigint [] IS NULL AND NOT $8::boolean)
            OR EXISTS (
                SELECT 1 FROM annotation_term AS t
                WHERE t.annotation_id = a.id AND t.term_id = ANY($7)
            )
            OR ($8 AND NOT EXISTS (SELECT 1 FROM annotation_term AS t WHERE t.annotation_id = a.id))
        )
        AND ($13::bytea IS NULL OR st_intersects(a.location, st_geomfromwkb($13, 0)))
        AND ($4::bigint [] IS NULL OR a.image_id = ANY($4))
        AND ($9::float8 IS NULL OR a.location && st_makeenvelope($9, $10, $11::float8, $12::float8, 0))
)
SELECT
    (SELECT count(*) FROM matched) AS size,
    (
        SELECT json_agg(to_jsonb(v) - $16::text [] ORDER BY v.id DESC)::text
        FROM (SELECT id FROM matched ORDER BY id DESC LIMIT $14 OFFSET $15) AS m
        JOIN api_annotation AS v ON v.id = m.id
    ) AS items
