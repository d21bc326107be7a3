-- What a user did in a project between two instants: the time spent (gaps under 30 s
-- between successive activity records, starting from `since`), the distinct images opened
-- and the user annotations created.
CREATE OR REPLACE FUNCTION project_connection_activity(
    u_id bigint, p_id bigint, since timestamptz, until timestamptz
) RETURNS TABLE (spent bigint, viewed_images integer, created_annotations integer)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH gaps AS (
        SELECT
            extract(EPOCH FROM m.created - lag(m.created, 1, since) OVER (ORDER BY m.created))
            * 1000 AS gap
        FROM project_activity AS m
        WHERE m.user_id = u_id AND m.project_id = p_id AND m.created > since AND m.created <= until
    )
    SELECT
        (SELECT coalesce(sum(g.gap) FILTER (WHERE g.gap < 30000), 0)::bigint FROM gaps AS g),
        (
            SELECT count(DISTINCT c.image_id)::integer FROM image_consultation AS c
            WHERE c.user_id = u_id AND c.project_id = p_id AND c.created BETWEEN since AND until
        ),
        (
            SELECT count(*)::integer FROM annotation AS a
            WHERE
                a.user_id = u_id AND a.project_id = p_id AND a.kind = 'user'
                AND a.created BETWEEN since AND until
        )
$$;
