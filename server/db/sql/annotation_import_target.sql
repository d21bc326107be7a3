-- What an import into one image may reference: the image's slices, its project's terms (ids
-- and names, for QuPath class names) and whether the caller may add terms to that ontology.
-- $1 image_id bigint, $2 project_id bigint, $3 user_id bigint, $4 is_admin bool,
-- $5 is_guest bool
-- -> slices bigint[], terms bigint[], term_names text[], ontology_id bigint (NULL: none),
--    ontology_writable bool
SELECT
    coalesce((SELECT array_agg(s.id) FROM slice_instance AS s WHERE s.image_id = $1), '{}')
    AS slices,
    coalesce(t.ids, '{}') AS terms,
    coalesce(t.names, '{}') AS term_names,
    p.ontology_id,
    p.ontology_id IS NOT NULL AND ontology_writable(p.ontology_id, $3, $4, $5)
    AS ontology_writable
FROM project AS p
LEFT JOIN LATERAL (
    SELECT array_agg(te.id ORDER BY te.id) AS ids, array_agg(te.name ORDER BY te.id) AS names
    FROM term AS te
    WHERE te.ontology_id = p.ontology_id
) AS t ON true
WHERE p.id = $2
