-- Distinct property keys of the user and reviewed annotations of a project and/or an image,
-- with their authors.
-- $1 project_id bigint (NULL: any), $2 image_id bigint (NULL: any), $3 with_user bool
-- -> key text, user_id bigint (NULL unless with_user)
SELECT DISTINCT
    p.key,
    CASE WHEN $3 THEN a.user_id END AS user_id
FROM property AS p
INNER JOIN annotation AS a ON p.domain_ident = a.id
WHERE
    a.kind IN ('user', 'reviewed')
    AND ($1::bigint IS NULL OR a.project_id = $1)
    AND ($2::bigint IS NULL OR a.image_id = $2)
ORDER BY p.key, user_id
