-- Moves the annotation counters of projects and image instances by delta for each row named
-- by (project, image, kind): once per statement, each kind its own counter (user ->
-- count_annotations, algo -> count_job_annotations, reviewed -> count_reviewed_annotations).
-- The statements that insert annotations name the project, image and kind of every new row
-- (+1), those that delete annotations of every deleted row (-1). A project or image deleted
-- with its annotations finds no row to update.
-- PL/pgSQL so that the session keeps the plans of its two updates (a delete of one annotation
-- calls it: planning them on each call cost more than the delete).
CREATE OR REPLACE FUNCTION annotation_count_change(
    project_ids bigint [], image_ids bigint [], kinds text [], delta integer
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project AS p SET
        count_annotations = p.count_annotations + delta * n.u,
        count_job_annotations = p.count_job_annotations + delta * n.a,
        count_reviewed_annotations = p.count_reviewed_annotations + delta * n.r
    FROM (
        SELECT
            project_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM unnest(project_ids, kinds) AS d (project_id, kind)
        GROUP BY project_id
    ) AS n
    WHERE p.id = n.project_id;
    UPDATE image_instance AS i SET
        count_annotations = i.count_annotations + delta * n.u,
        count_job_annotations = i.count_job_annotations + delta * n.a,
        count_reviewed_annotations = i.count_reviewed_annotations + delta * n.r
    FROM (
        SELECT
            image_id,
            count(*) FILTER (WHERE kind = 'user') AS u,
            count(*) FILTER (WHERE kind = 'algo') AS a,
            count(*) FILTER (WHERE kind = 'reviewed') AS r
        FROM unnest(image_ids, kinds) AS d (image_id, kind)
        GROUP BY image_id
    ) AS n
    WHERE i.id = n.image_id;
END
$$;
