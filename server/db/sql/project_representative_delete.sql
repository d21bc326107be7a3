-- Remove a representative, unless it is the project's last one (then no row).
-- $1 project_id bigint, $2 id bigint -> id
DELETE FROM project_representative_user AS r
WHERE
    r.project_id = $1 AND r.id = $2
    AND (SELECT count(*) FROM project_representative_user AS o WHERE o.project_id = $1) > 1
RETURNING id
