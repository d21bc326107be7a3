-- The bulk term change (POST /api/annotation/bulk-term, server/db/sql/annotation_bulk_term.sql):
-- change the terms of the user annotations a filter matches in a project among those the
-- caller may change, mode 'set' (exactly these terms), 'add' or 'remove'; the pairs
-- (annotation, term) that gain their first link or lose their last one count into or out of
-- the overview, and the new links' terms and user are checked (annotation_term_parents; their
-- annotations are the matches, locked here).
-- One image at a time, in id order: a query that names the image finds and locks its matches
-- (FOR KEY SHARE: a concurrent delete waits, or wins and its annotations are not linked; on a
-- Citus cluster a row lock is only taken by a query that names one shard, docs/scale-out.md),
-- then one statement changes their links and the annotations whose links changed are relisted
-- (annotation_terms_relist). Images without user annotations (their counter) are passed over.
-- Write rights (Cytomine), decided once for the project: admins change everything; else
-- members, not guests, managers only in read-only projects, and in restricted projects
-- contributors change only their own annotations.
-- Returns how many annotations matched and how many links were removed and added.
CREATE OR REPLACE FUNCTION annotation_bulk_term(
    project bigint,
    image_ids bigint [],
    user_ids bigint [],
    filter_terms bigint [],
    bbox float8 [],
    caller_id bigint,
    caller_admin boolean,
    caller_guest boolean,
    new_terms bigint [],
    mode text
) RETURNS TABLE (matched bigint, removed bigint, added bigint)
LANGUAGE plpgsql AS $$
DECLARE
    may_write boolean;
    own_only boolean;
    img bigint;
    found bigint [];
    gone_count bigint;
    made_count bigint;
    changed bigint [];
BEGIN
    matched := 0;
    removed := 0;
    added := 0;
    SELECT
        NOT caller_guest AND (
            caller_admin OR (w.user_id IS NOT NULL AND (NOT p.is_read_only OR w.is_manager))
        ),
        NOT caller_admin AND p.is_restricted AND NOT coalesce(w.is_manager, false)
    INTO may_write, own_only
    FROM project AS p
    LEFT JOIN project_member AS w ON w.project_id = p.id AND w.user_id = caller_id
    WHERE p.id = project;
    IF may_write IS NOT true THEN
        RETURN NEXT;
        RETURN;
    END IF;
    FOR img IN
        SELECT i.id FROM image_instance AS i
        WHERE
            i.project_id = project
            AND i.count_annotations > 0
            AND (image_ids IS NULL OR i.id = ANY (image_ids))
        ORDER BY i.id
    LOOP
        SELECT array_agg(k.id) INTO found
        FROM (
            SELECT t.id
            FROM annotation AS t
            WHERE
                t.image_id = img
                AND t.project_id = project
                AND t.kind = 'user'
                AND (NOT own_only OR t.user_id = caller_id)
                AND (user_ids IS NULL OR t.user_id = ANY (user_ids))
                AND (
                    filter_terms IS NULL OR EXISTS (
                        SELECT 1 FROM annotation_term AS f
                        WHERE f.annotation_id = t.id AND f.term_id = ANY (filter_terms)
                    )
                )
                AND (bbox IS NULL OR st_intersects(
                    t.location, st_makeenvelope(bbox[1], bbox[2], bbox[3], bbox[4], 0)
                ))
            FOR KEY SHARE OF t
        ) AS k;
        CONTINUE WHEN found IS NULL;

        WITH gone AS (
            DELETE FROM annotation_term AS l
            WHERE
                l.annotation_id = ANY (found)
                AND l.image_id = img
                AND (
                    (mode = 'set' AND NOT (l.term_id = ANY (new_terms)))
                    OR (mode = 'remove' AND l.term_id = ANY (new_terms))
                )
            RETURNING l.annotation_id, l.term_id
        ),

        made AS (
            INSERT INTO annotation_term (annotation_id, term_id, user_id, image_id, project_id)
            SELECT t.id, x.term_id, caller_id, img, project
            FROM unnest(found) AS t (id)
            CROSS JOIN unnest(new_terms) AS x (term_id)
            WHERE
                mode IN ('set', 'add')
                AND NOT EXISTS (
                    SELECT 1 FROM annotation_term AS e
                    WHERE e.annotation_id = t.id AND e.image_id = img AND e.term_id = x.term_id
                )
            ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
            RETURNING annotation_id, term_id, user_id
        ),

        checked AS (
            SELECT annotation_term_parents(
                NULL, NULL, array_agg(made.term_id), array_agg(made.user_id)
            )
            FROM made
        ),

        linked AS (
            SELECT annotation_overview_links(
                array_agg(c.annotation_id), array_agg(c.term_id), array_agg(c.n)
            )
            FROM (
                SELECT gone.annotation_id, gone.term_id, -1 AS n FROM gone
                UNION ALL
                SELECT made.annotation_id, made.term_id, 1 FROM made
            ) AS c
        )

        SELECT
            (SELECT count(*) FROM gone),
            (SELECT count(*) FROM made),
            array(SELECT r.annotation_id FROM gone AS r UNION SELECT d.annotation_id FROM made AS d)
        INTO gone_count, made_count, changed
        FROM checked, linked;
        PERFORM annotation_terms_relist(changed);
        matched := matched + cardinality(found);
        removed := removed + gone_count;
        added := added + made_count;
    END LOOP;
    RETURN NEXT;
END
$$;
