-- Where one object lives and whether the caller may read it (no row: no such object).
-- $1 class_name text (full Java class name), $2 ident bigint, $3 user_id bigint,
-- $4 is_admin bool (admin session open), $5 is_guest bool
-- -> project_id, storage_id, ontology_id, owner_id bigint, actual_class text, readable bool,
--    ontology_writable bool
SELECT
    d.project_id,
    d.storage_id,
    d.ontology_id,
    d.owner_id,
    d.actual_class,
    domain_readable($1, $2, $3, $4) AS readable,
    coalesce(d.ontology_id IS NOT NULL AND ontology_writable(d.ontology_id, $3, $4, $5), false)
        AS ontology_writable
FROM domain_container($1, $2) AS d
LIMIT 1
