-- Record that annotations of (image, author) centred at (x, y) under a term are added (n = 1)
-- or removed (n = -1): the changes are grouped into cells of the finest level (10) and
-- appended to annotation_overview_delta; annotation_overview_flush folds them into every level.
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_overview_apply(
    image_ids bigint [], user_ids bigint [], term_ids bigint [],
    xs double precision [], ys double precision [], ns integer []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO annotation_overview_delta
        (image_id, cx, cy, term_id, user_id, count, sum_x, sum_y)
    SELECT
        d.image_id,
        least(greatest(floor(d.x / 1024)::int, 0), (g.width - 1) >> 10),
        least(greatest(floor((g.height - d.y) / 1024)::int, 0), (g.height - 1) >> 10),
        d.term_id, d.user_id, sum(d.n)::int, sum(d.n * d.x), sum(d.n * d.y)
    FROM unnest(image_ids, user_ids, term_ids, xs, ys, ns)
        AS d (image_id, user_id, term_id, x, y, n)
    JOIN image_instance AS i ON i.id = d.image_id
    JOIN abstract_image AS g ON g.id = i.base_image_id
    GROUP BY 1, 2, 3, 4, 5;
END
$$;
