-- baseAnnotation (id or WKT) with maxDistanceBaseAnnotation: annotations within the distance.
-- $max_distance float8
-- $base_geometry bytea
-- $base_annotation bigint

(
    $max_distance IS NULL
    OR st_dwithin(
        a.location,
        coalesce(
            st_geomfromwkb($base_geometry, 0),
            (SELECT b.location FROM annotation AS b WHERE b.id = $base_annotation)
        ),
        $max_distance
    )
)
