-- Project connections: one row each time a user enters a project (the Web UI posts it when it
-- opens a project). A connection stays open until the same user enters the project again;
-- it is then closed with its duration (the sum of the gaps under 30 s between the user's
-- activity in the project since it began), the images viewed and the annotations created.
-- Image consultations point at the connection during which they were made.

CREATE TABLE project_connection (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    user_id bigint NOT NULL REFERENCES sec_user (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    os text,
    browser text,
    browser_version text,
    -- NULL while the connection is open.
    time bigint,
    count_viewed_images integer,
    count_created_annotations integer
);
CREATE INDEX project_connection_project_user_idx
ON project_connection (project_id, user_id, created);
CREATE INDEX project_connection_created_idx ON project_connection (created);

ALTER TABLE image_consultation
ADD COLUMN project_connection_id bigint REFERENCES project_connection (id) ON DELETE SET NULL;
CREATE INDEX image_consultation_connection_idx ON image_consultation (project_connection_id);

-- Every dated trace of a user in a project: entering it, viewer heartbeats, image openings,
-- annotation actions and user annotations created.
CREATE VIEW project_activity AS
SELECT pc.user_id, pc.project_id, pc.created FROM project_connection AS pc
UNION ALL
SELECT p.user_id, p.project_id, p.created FROM user_position AS p
UNION ALL
SELECT c.user_id, c.project_id, c.created FROM image_consultation AS c
UNION ALL
SELECT a.user_id, a.project_id, a.created FROM annotation_action AS a
UNION ALL
SELECT a.user_id, a.project_id, a.created FROM annotation AS a WHERE a.kind = 'user';

-- Who was seen lately in which project: entering it, and the viewer's last heartbeat per
-- slice (one row per user and slice, so recency questions stay cheap). Cytomine's
-- "last connection" records come from the same two events.
CREATE VIEW project_presence AS
SELECT pc.user_id, pc.project_id, pc.created FROM project_connection AS pc
UNION ALL
SELECT p.user_id, p.project_id, p.created FROM last_user_position AS p;

-- What a user did in a project between two instants: the time spent (gaps under 30 s
-- between successive activity records, starting from `since`), the distinct images opened
-- and the user annotations created.
CREATE FUNCTION project_connection_activity(
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

-- Consultations now name their project connection.
CREATE OR REPLACE VIEW api_image_consultation AS
SELECT
    'be.cytomine.domain.social.PersistentImageConsultation' AS class,
    c.id,
    epoch_ms(c.created) AS created,
    c.user_id AS "user",
    c.image_id AS image,
    coalesce(i.instance_filename, a.original_filename) AS "imageName",
    s.url || '/api/imageinstance/' || c.image_id || '/thumb.png?maxSize=512' AS "imageThumb",
    c.mode,
    c.project_id AS project,
    c.project_connection_id AS "projectConnection",
    c.time,
    c.count_created_annotations AS "countCreatedAnnotations"
FROM image_consultation AS c
JOIN image_instance AS i ON i.id = c.image_id
JOIN abstract_image AS a ON a.id = i.base_image_id
CROSS JOIN (SELECT url FROM image_server ORDER BY id LIMIT 1) AS s;

-- Counts per period for the activity charts: from `start`, one bucket every `days` days up
-- to `stop`, each with its start (`date`), its end capped at `stop`, and the number of
-- instants in it (or up to its end when accumulating). Instants before `start` are not
-- counted, as in Cytomine.
CREATE FUNCTION stats_evolution(
    moments timestamptz [], start timestamptz, stop timestamptz, days integer, accumulate boolean
) RETURNS TABLE (period_start bigint, period_end bigint, size bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH step AS (SELECT make_interval(hours => 24 * days) AS len),
    buckets AS (
        SELECT n, start + n * s.len AS lo, start + (n + 1) * s.len AS hi
        FROM step AS s
        CROSS JOIN generate_series(
            0, floor(extract(EPOCH FROM stop - start) / (86400 * days))::bigint
        ) AS n
        WHERE stop >= start
    ),
    counted AS (
        SELECT floor(extract(EPOCH FROM m.t - start) / (86400 * days))::bigint AS n, count(*) AS c
        FROM unnest(moments) AS m (t)
        WHERE m.t >= start
        GROUP BY 1
    )
    SELECT
        floor(extract(EPOCH FROM k.lo) * 1000)::bigint,
        floor(extract(EPOCH FROM least(k.hi, stop)) * 1000)::bigint,
        CASE
            WHEN accumulate THEN sum(coalesce(c.c, 0)) OVER (ORDER BY k.n)::bigint
            ELSE coalesce(c.c, 0)
        END
    FROM buckets AS k
    LEFT JOIN counted AS c ON c.n = k.n
    ORDER BY k.n
$$;
