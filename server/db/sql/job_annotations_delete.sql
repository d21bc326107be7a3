-- Delete the algo annotations of a job's user job and the term links it set, and count them out
-- of their projects and images.
-- $1 job_id bigint
-- -> ids bigint[] (the deleted annotations; the store then runs removed_cascade with them),
--    linked bigint[] (the annotations that lost a link, for the store to relist)
WITH account AS (
    SELECT uj.id FROM user_job AS uj WHERE uj.job_id = $1
),

terms AS (
    DELETE FROM annotation_term AS t
    USING account
    WHERE t.user_id = account.id
    RETURNING t.annotation_id
),

gone AS (
    DELETE FROM annotation AS a
    USING account
    WHERE a.user_id = account.id AND a.kind = 'algo'
    RETURNING a.id, a.project_id, a.image_id, a.kind
),

counted AS (
    SELECT annotation_count_change(
        array_agg(gone.project_id), array_agg(gone.image_id), array_agg(gone.kind), -1
    )
    FROM gone
)

SELECT
    array(SELECT gone.id FROM gone, counted) AS ids,
    array(SELECT DISTINCT terms.annotation_id FROM terms) AS linked
