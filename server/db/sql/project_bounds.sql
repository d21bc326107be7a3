-- Min/max of project fields over the projects a caller sees, for the list filters.
-- $1 viewer_id bigint, $2 viewer_sees_all bool, $3 with_members_count bool
-- -> json text {created, updated, mode, name, numberOf..., members: {min, max}}
WITH visible AS (
    SELECT
        p.*,
        (
            SELECT count(*) FROM project_member AS pm
            WHERE
                pm.project_id = p.id
                AND NOT EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = pm.user_id)
        ) AS members
    FROM project AS p
    WHERE $2 OR EXISTS (
        SELECT 1 FROM project_member AS m WHERE m.project_id = p.id AND m.user_id = $1
    )
)

SELECT json_build_object(
    'created', json_build_object('min', epoch_ms(min(created)), 'max', epoch_ms(max(created))),
    'updated', json_build_object('min', epoch_ms(min(updated)), 'max', epoch_ms(max(updated))),
    'mode', json_build_object('min', null, 'max', null),
    'name', json_build_object('min', min(name), 'max', max(name)),
    'numberOfAnnotations', json_build_object(
        'min', min(count_annotations), 'max', max(count_annotations)
    ),
    'numberOfJobAnnotations', json_build_object(
        'min', min(count_job_annotations), 'max', max(count_job_annotations)
    ),
    'numberOfReviewedAnnotations', json_build_object(
        'min', min(count_reviewed_annotations), 'max', max(count_reviewed_annotations)
    ),
    'numberOfImages', json_build_object('min', min(count_images), 'max', max(count_images)),
    'members', json_build_object(
        'min', CASE WHEN $3 THEN min(members) END,
        'max', CASE WHEN $3 THEN max(members) END
    )
)::text
FROM visible
