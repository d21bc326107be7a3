-- Change the terms of the user annotations a filter matches among those the caller may
-- change: mode 'set' (exactly these terms), 'add' or 'remove'. The pairs (annotation, term)
-- that gain their first link or lose their last one count into or out of the overview. The
-- new links' terms and user are checked (annotation_term_parents; their annotations are the
-- matches this statement locks itself).
-- $1 project_id bigint, $2 image_ids bigint[] (NULL: all), $3 user_ids bigint[] (NULL: all),
-- $4 term_ids bigint[] (NULL: any), $5 bbox float8[4] minx,miny,maxx,maxy (NULL: anywhere),
-- $6 user_id bigint (caller), $7 is_admin bool, $8 is_guest bool,
-- $9 term_ids bigint[] (the new terms), $10 mode text
-- -> matched bigint, removed bigint (links), added bigint (links), changed bigint[] (the
--    annotations whose links changed, for the store to relist)
WITH target AS (
    SELECT a.id, a.image_id, a.project_id
    FROM annotation AS a
    JOIN project AS p ON p.id = a.project_id
    LEFT JOIN project_member AS m ON m.project_id = a.project_id AND m.user_id = $6
    WHERE
        a.project_id = $1
        AND a.kind = 'user'
        AND ($2::bigint [] IS NULL OR a.image_id = ANY($2))
        AND ($3::bigint [] IS NULL OR a.user_id = ANY($3))
        AND (
            $4::bigint [] IS NULL OR EXISTS (
                SELECT 1 FROM annotation_term AS f
                WHERE f.annotation_id = a.id AND f.term_id = ANY($4)
            )
        )
        AND ($5::float8 [] IS NULL OR st_intersects(
            a.location, st_makeenvelope($5[1], $5[2], $5[3], $5[4], 0)
        ))
        -- Write rights (Cytomine): admins; else members, not guests, managers only in read-only
        -- projects, and in restricted projects contributors touch only their own annotations.
        AND NOT $8
        AND (
            $7 OR (
                m.user_id IS NOT NULL
                AND (NOT p.is_read_only OR m.is_manager)
                AND (NOT p.is_restricted OR m.is_manager OR a.user_id = $6)
            )
        )
    -- Lock the matches: an annotation a concurrent delete removes is skipped, not linked.
    FOR KEY SHARE OF a
),
removed AS (
    DELETE FROM annotation_term AS at
    USING target AS t
    WHERE
        at.annotation_id = t.id
        AND (
            ($10 = 'set' AND NOT (at.term_id = ANY($9)))
            OR ($10 = 'remove' AND at.term_id = ANY($9))
        )
    RETURNING at.annotation_id, at.term_id
),
added AS (
    INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id)
    SELECT t.id, x.term_id, $6, t.image_id, t.project_id
    FROM target AS t
    CROSS JOIN unnest($9::bigint []) AS x (term_id)
    WHERE
        $10 IN ('set', 'add')
        AND NOT EXISTS (
            SELECT 1 FROM annotation_term AS e
            WHERE e.annotation_id = t.id AND e.term_id = x.term_id
        )
    ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
    RETURNING annotation_id, term_id, user_id
),

checked AS (
    SELECT annotation_term_parents(
        NULL, NULL, array_agg(added.term_id), array_agg(added.user_id)
    )
    FROM added
),

linked AS (
    SELECT annotation_overview_links(
        array_agg(c.annotation_id), array_agg(c.term_id), array_agg(c.n)
    )
    FROM (
        SELECT removed.annotation_id, removed.term_id, -1 AS n FROM removed
        UNION ALL
        SELECT added.annotation_id, added.term_id, 1 FROM added
    ) AS c
)

SELECT
    (SELECT count(*) FROM target) AS matched,
    (SELECT count(*) FROM removed) AS removed,
    (SELECT count(*) FROM added) AS added,
    array(SELECT r.annotation_id FROM removed AS r UNION SELECT d.annotation_id FROM added AS d)
        AS changed
FROM checked, linked
