-- Annotations drawn into a window mask: those of an image (or one slice) crossing the window.
-- $1 image_id bigint (null: any), $2 slice_id bigint (null: any), $3 window text (WKT polygon,
-- bottom-left pixels), $4 annotation ids bigint[] (null: choose by the filters below),
-- $5 term ids bigint[] (null: any), $6 user ids bigint[] (null: any),
-- $7 kind text ('user' or 'reviewed'), $8 limit int
-- -> location text (WKT, bottom-left pixels), one row per annotation, oldest first
SELECT ST_AsText(a.location) AS location
FROM annotation AS a
WHERE ($1::bigint IS NULL OR a.image_id = $1)
    AND ($2::bigint IS NULL OR a.slice_id = $2)
    AND a.location && ST_GeomFromText($3)
    AND ST_Intersects(a.location, ST_GeomFromText($3))
    AND CASE
        WHEN $4::bigint[] IS NOT NULL THEN a.id = ANY($4)
        ELSE a.kind = $7
            AND ($6::bigint[] IS NULL OR a.user_id = ANY($6))
            AND ($5::bigint[] IS NULL OR EXISTS (
                SELECT 1 FROM annotation_term AS t
                WHERE t.annotation_id = a.id AND t.term_id = ANY($5)
            ))
    END
ORDER BY a.id
LIMIT $8
