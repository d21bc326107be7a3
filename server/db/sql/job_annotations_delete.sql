-- Delete the algo annotations of a job's user job and the term links it set, and count them out
-- of their projects, their images and the overview (where the links were on user annotations).
-- $1 job_id bigint
-- -> annotations bigint[] (the deleted ones; the store then runs removed_cascade with them),
--    linked bigint[] (the annotations that lost a link, for the store to relist)
WITH account AS (
    SELECT uj.id FROM user_job AS uj WHERE uj.job_id = $1
),

terms AS (
    DELETE FROM annotation_term AS t
    USING account
    WHERE t.user_id = account.id
    RETURNING t.annotation_id, t.term_id
),

unlinked AS (
    SELECT annotation_overview_links(
        array_agg(terms.annotation_id), array_agg(terms.term_id), array_agg(-1)
    )
    FROM terms
),

gone AS (
    DELETE FROM annotation AS a
    USING account
    WHERE a.user_id = account.id AND a.kind = 'algo'
    RETURNING a.id, a.project_id, a.image_id, a.user_id, a.kind, a.parent_id,
        annotation_overview_x(a.location) AS x, annotation_overview_y(a.location) AS y
),

written AS (
    SELECT annotation_rows_written(
        array_agg(gone.id), array_agg(gone.project_id), array_agg(gone.image_id),
        array_agg(gone.user_id), array_agg(gone.kind), array_agg(gone.parent_id),
        array_agg(gone.x), array_agg(gone.y),
        -1
    )
    FROM gone
)

-- unlinked always has its one row: read in FROM, it runs whether or not annotations go.
SELECT
    coalesce((SELECT array_agg(gone.id) FROM gone, written), '{}') AS annotations,
    array(SELECT DISTINCT terms.annotation_id FROM terms) AS linked
FROM unlinked
