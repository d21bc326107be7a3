-- One abstract image if the caller may read it: its storage, a project showing it, or admin.
-- $1 abstract_image_id bigint, $2 user_id bigint, $3 bypass bool
-- -> obj text (AbstractImage object)
SELECT row_to_json(v)::text AS obj
FROM api_abstract_image AS v
JOIN uploaded_file AS f ON f.id = v."uploadedFile"
WHERE
    v.id = $1
    AND (
        $3
        OR storage_readable(f.storage_id, $2)
        OR EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = v.id AND project_readable(i.project_id, $2)
        )
    )
