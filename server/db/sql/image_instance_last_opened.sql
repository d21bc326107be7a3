-- The images the caller opened last, once each with their latest opening, among the images
-- they may still read (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint
-- -> size bigint, items text (JSON array of {id, date, thumb, instanceFilename, project})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            'id', v.id,
            'date', epoch_ms(o.opened),
            'thumb', v.thumb,
            'instanceFilename', v."instanceFilename",
            'project', v.project
        )
        FROM (
            SELECT c.image_id, max(c.created) AS opened
            FROM image_consultation AS c
            WHERE c.user_id = $7
            GROUP BY c.image_id
        ) AS o
        JOIN api_image_instance AS v ON v.id = o.image_id
        WHERE project_readable(v.project, $7)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
