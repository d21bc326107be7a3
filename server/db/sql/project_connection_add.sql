-- Record that a user entered a project, closing their previous open connection to it first
-- (its time, viewed images and created annotations are fixed at this instant).
-- $1 project_id bigint, $2 user_id bigint, $3 is_admin bool, $4 os text, $5 browser text,
-- $6 browser_version text
-- -> readable bool, id bigint (the new connection; NULL when not readable). No row: no project.
WITH target AS (
    SELECT p.id, ($3 OR project_readable(p.id, $2)) AS readable
    FROM project AS p
    WHERE p.id = $1
),
previous AS (
    SELECT pc.id, pc.created
    FROM project_connection AS pc
    JOIN target AS t ON t.readable
    WHERE pc.user_id = $2 AND pc.project_id = $1 AND pc.time IS NULL
    ORDER BY pc.created DESC, pc.id DESC
    LIMIT 1
),
closed AS (
    UPDATE project_connection AS pc SET
        time = x.spent,
        count_viewed_images = x.viewed_images,
        count_created_annotations = x.created_annotations
    FROM previous AS pr
    CROSS JOIN LATERAL project_connection_activity($2, $1, pr.created, now()) AS x
    WHERE pc.id = pr.id
    RETURNING pc.id
),
added AS (
    INSERT INTO project_connection (user_id, project_id, os, browser, browser_version)
    SELECT $2, t.id, $4, $5, $6
    FROM target AS t
    WHERE t.readable
    RETURNING id
)
SELECT t.readable, a.id
FROM target AS t
LEFT JOIN added AS a ON true
