-- Counters on project and image instance, once per statement (a bulk insert of 10k rows
-- updates each counter once). A cascade from the project or image itself finds no row.
-- Each kind keeps its own counter: user -> count_annotations, algo -> count_job_annotations,
-- reviewed -> count_reviewed_annotations.
CREATE OR REPLACE FUNCTION annotation_count_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project AS p SET
        count_annotations = p.count_annotations + n.u,
        count_job_annotations = p.count_job_annotations + n.a,
        count_reviewed_annotations = p.count_reviewed_annotations + n.r
    FROM (
        SELECT
            project_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM added GROUP BY project_id
    ) AS n
    WHERE p.id = n.project_id;
    UPDATE image_instance AS i SET
        count_annotations = i.count_annotations + n.u,
        count_job_annotations = i.count_job_annotations + n.a,
        count_reviewed_annotations = i.count_reviewed_annotations + n.r
    FROM (
        SELECT
            image_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM added GROUP BY image_id
    ) AS n
    WHERE i.id = n.image_id;
    RETURN NULL;
END
$$;
