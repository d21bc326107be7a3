-- One trusted source (no row: none).
-- $1 repository_id bigint
-- -> obj text (SoftwareUserRepository object)
SELECT row_to_json(v)::text AS obj
FROM api_software_user_repository AS v
WHERE v.id = $1
