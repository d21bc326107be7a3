-- Whether a user may read an object (the list filter of associations and properties).
CREATE OR REPLACE FUNCTION domain_readable(class_name text, ident bigint, u_id bigint, is_admin boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin OR EXISTS (
        SELECT 1
        FROM domain_container(class_name, ident) AS d
        WHERE
            (d.project_id IS NOT NULL AND project_readable(d.project_id, u_id))
            OR (d.storage_id IS NOT NULL AND storage_readable(d.storage_id, u_id))
            OR (d.ontology_id IS NOT NULL AND ontology_readable(d.ontology_id, u_id, false))
    ) OR (
        -- An abstract image is also readable through a project that shows it.
        class_name = 'be.cytomine.domain.image.AbstractImage'
        AND EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = ident AND project_readable(i.project_id, u_id)
        )
    )
$$;
