-- Annotation groups named by a bulk annotation create, with their project (missing: no row).
-- $1 group_ids bigint[]
-- -> id bigint, project_id bigint
SELECT g.id, g.project_id
FROM annotation_group AS g
WHERE g.id = ANY($1::bigint [])
