-- Every user annotation, light (no geometry), newest first, one page (admins only).
-- $1 limit bigint (NULL = all), $2 offset bigint
-- -> size bigint, items text (JSON array; NULL when empty)
SELECT
    (SELECT count(*) FROM annotation WHERE kind = 'user') AS size,
    (
        SELECT
            json_agg(
                json_build_object(
                    'class', 'be.cytomine.domain.ontology.UserAnnotation',
                    'id', a.id,
                    'created', epoch_ms(a.created),
                    'updated', epoch_ms(a.updated),
                    'user', a.user_id,
                    'project', a.project_id,
                    'image', a.image_id,
                    'slice', a.slice_id
                )
                ORDER BY a.id DESC
            )::text
        FROM (
            SELECT * FROM annotation WHERE kind = 'user' ORDER BY id DESC LIMIT $1 OFFSET $2
        ) AS a
    ) AS items
