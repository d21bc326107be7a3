-- The page ordered by plane rank, as Cytomine orders a track filter's (keyset pages aside):
-- a branch of the page in statement.sql, held only by the statements of requests naming
-- tracks (planning its joins and sort cost a quarter of the viewer's planning).
-- $tracks bigint[]

UNION ALL
(
    SELECT
        m.id,
        m.image_id,
        bs.channel + ai.channels * (bs.z_stack + ai.depth * bs."time") AS rank
    FROM matched AS m
    INNER JOIN slice_instance AS si ON m.slice_id = si.id
    INNER JOIN abstract_slice AS bs ON si.base_slice_id = bs.id
    INNER JOIN abstract_image AS ai ON bs.image_id = ai.id
    WHERE $tracks IS NOT NULL AND $after_id IS NULL
    ORDER BY rank, m.id DESC LIMIT $limit OFFSET $offset
)
