-- One abstract slice if the caller may read its image (storage, project or admin).
-- $1 abstract_slice_id bigint, $2 user_id bigint, $3 bypass bool -> obj text (AbstractSlice)
SELECT row_to_json(v)::text AS obj
FROM api_abstract_slice AS v
JOIN uploaded_file AS f ON f.id = v."uploadedFile"
WHERE
    v.id = $1
    AND (
        $3
        OR storage_readable(f.storage_id, $2)
        OR EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = v.image AND project_readable(i.project_id, $2)
        )
    )
