-- Wire shape; an open connection reports what was done so far.
CREATE VIEW api_project_connection AS
SELECT
    'be.cytomine.domain.social.PersistentProjectConnection' AS class,
    pc.id,
    epoch_ms(pc.created) AS created,
    NULL::text AS updated,
    pc.user_id AS "user",
    pc.project_id AS project,
    coalesce(pc.time, live.spent) AS time,
    pc.os,
    pc.browser,
    pc.browser_version AS "browserVersion",
    coalesce(pc.count_viewed_images, live.viewed_images) AS "countViewedImages",
    coalesce(pc.count_created_annotations, live.created_annotations)
    AS "countCreatedAnnotations",
    pc.created AS created_at,
    pc.time IS NULL AS open
FROM project_connection AS pc
LEFT JOIN LATERAL project_connection_activity(
    pc.user_id, pc.project_id, pc.created, now()
) AS live ON pc.time IS NULL;
