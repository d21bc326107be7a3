-- What an import into one image may reference: the image's slices and its project's terms.
-- $1 image_id bigint, $2 project_id bigint -> slices bigint[], terms bigint[]
SELECT
    coalesce((SELECT array_agg(s.id) FROM slice_instance AS s WHERE s.image_id = $1), '{}')
    AS slices,
    coalesce(
        (
            SELECT array_agg(t.id)
            FROM term AS t
            JOIN project AS p ON p.ontology_id = t.ontology_id
            WHERE p.id = $2
        ),
        '{}'
    ) AS terms
