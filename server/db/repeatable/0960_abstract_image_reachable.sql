-- Whether a caller reaches an abstract image's file through its storage or through a project
-- showing it that lets them read it (download: that lets them download originals).
CREATE OR REPLACE FUNCTION abstract_image_reachable(
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
