-- How often each viewport (location, zoom, rotation) of an image was seen (access checked by
-- the caller) (the shape of server/db/listing.py). As in Cytomine, the location of a summary
-- row is the list of its four corners ([[x, y], ...]), not WKT.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_id bigint, $8 user_id bigint (NULL: any),
-- $9 slice_id bigint (NULL: any), $10 after timestamptz (NULL: open), $11 before timestamptz
-- -> size bigint, items text (JSON array of {location, zoom, rotation, frequency, image})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            -- The closed ring without its closing point: the four corners.
            'location', (ST_AsGeoJSON(ST_GeomFromText(g.wkt))::jsonb -> 'coordinates' -> 0) - 4,
            'zoom', g.zoom,
            'rotation', g.rotation,
            'frequency', g.frequency,
            'image', $7::bigint
        )
        FROM (
            SELECT ST_AsText(p.location) AS wkt, p.zoom, p.rotation, count(*) AS frequency
            FROM user_position AS p
            WHERE
                p.image_id = $7
                AND ($8::bigint IS NULL OR p.user_id = $8)
                AND ($9::bigint IS NULL OR p.slice_id = $9)
                AND ($10::timestamptz IS NULL OR p.created >= $10)
                AND ($11::timestamptz IS NULL OR p.created <= $11)
            GROUP BY ST_AsText(p.location), p.zoom, p.rotation
        ) AS g
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
