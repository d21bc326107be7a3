-- The counters of annotation_count_added, decreased by the statements that delete annotations
-- (each names the project, image and kind of every deleted row), once per statement and each
-- kind its own. A project or image deleted with its annotations finds no row to update.
-- PL/pgSQL so that the session keeps the plans of its two updates (a delete of one annotation
-- calls it: planning them on each call cost more than the delete).
CREATE OR REPLACE FUNCTION annotation_count_subtract(
    project_ids bigint [], image_ids bigint [], kinds text []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project AS p SET
        count_annotations = p.count_annotations - n.u,
        count_job_annotations = p.count_job_annotations - n.a,
        count_reviewed_annotations = p.count_reviewed_annotations - n.r
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
        count_annotations = i.count_annotations - n.u,
        count_job_annotations = i.count_job_annotations - n.a,
        count_reviewed_annotations = i.count_reviewed_annotations - n.r
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
