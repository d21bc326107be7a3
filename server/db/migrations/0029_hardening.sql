-- Hardening: one rule for hidden annotation layers, shared by every statement that shows
-- annotations; imports remember the session that runs them; who may download originals;
-- login failures per account and per client address.

-- Whether the caller sees the annotations of `owner_id` in `p_id` (Cytomine's hideUsersLayers
-- and hideAdminsLayers): admins and managers see every layer, members their own and the layers
-- the project does not hide; non-members see none.
CREATE FUNCTION layer_visible(p_id bigint, owner_id bigint, u_id bigint, is_admin boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin OR EXISTS (
        SELECT 1
        FROM project_member AS m
        INNER JOIN project AS p ON m.project_id = p.id
        WHERE
            m.project_id = p_id
            AND m.user_id = u_id
            AND (
                m.is_manager
                OR NOT (p.hide_users_layers OR p.hide_admins_layers)
                OR owner_id = u_id
                OR CASE
                    WHEN EXISTS (
                        SELECT 1 FROM project_member AS om
                        WHERE om.project_id = p_id AND om.user_id = owner_id AND om.is_manager
                    ) THEN NOT p.hide_admins_layers
                    ELSE NOT p.hide_users_layers
                END
            )
    )
$$;

-- When the current session started: with pg_backend_pid() it names a session for good.
CREATE FUNCTION session_started() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT a.backend_start FROM pg_stat_activity AS a WHERE a.pid = pg_backend_pid()
$$;

-- The session running an import: when it is gone while the job is still 'running', the
-- server died mid-import (annotation_import_reap marks the job failed and frees its key).
ALTER TABLE annotation_import
ADD COLUMN backend_pid integer DEFAULT pg_backend_pid(),
ADD COLUMN backend_start timestamptz DEFAULT session_started();

-- Whether a member may download the original files of a project's images: the project allows
-- it (areImagesDownloadable) or the member manages it (admins bypass this in the statements).
CREATE FUNCTION project_downloadable(p_id bigint, u_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM project AS p
        INNER JOIN project_member AS m ON m.project_id = p.id
        WHERE p.id = p_id AND m.user_id = u_id AND (p.are_images_downloadable OR m.is_manager)
    )
$$;

-- Whether a caller reaches an abstract image's file through its storage or through a project
-- showing it that lets them read it (download: that lets them download originals).
CREATE FUNCTION abstract_image_reachable(
    a_id bigint, s_id bigint, u_id bigint, download boolean
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT storage_readable(s_id, u_id) OR EXISTS (
        SELECT 1 FROM image_instance AS i
        WHERE
            i.base_image_id = a_id
            AND CASE
                WHEN download THEN project_downloadable(i.project_id, u_id)
                ELSE project_readable(i.project_id, u_id)
            END
    )
$$;

-- Failed logins per key ('user:<name>' or 'addr:<client address>'): past a threshold each
-- failure blocks the key for a doubling delay. Shared by every worker.
CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    threshold integer NOT NULL,
    failures integer NOT NULL DEFAULT 0,
    last_failure timestamptz NOT NULL DEFAULT now(),
    blocked_until timestamptz
);
