-- Whether a member may download the original files of a project's images: the project allows
-- it (areImagesDownloadable) or the member manages it (admins bypass this in the statements).
CREATE OR REPLACE FUNCTION project_downloadable(p_id bigint, u_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM project AS p
        INNER JOIN project_member AS m ON m.project_id = p.id
        WHERE p.id = p_id AND m.user_id = u_id AND (p.are_images_downloadable OR m.is_manager)
    )
$$;
