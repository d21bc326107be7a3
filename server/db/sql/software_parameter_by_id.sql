-- One software parameter and whether a caller may change it (its software's creator or an
-- admin) (no row: none).
-- $1 parameter_id bigint, $2 user_id bigint, $3 is_admin bool
-- -> obj text (SoftwareParameter object), can_edit bool
SELECT
    row_to_json(v)::text AS obj,
    ($3 OR coalesce(s.user_id = $2, false)) AS can_edit
FROM api_software_parameter AS v
JOIN software AS s ON s.id = v.software
WHERE v.id = $1
