CREATE VIEW api_sec_user_sec_role AS
SELECT
    'be.cytomine.domain.security.SecUserSecRole'::text AS "class",
    ur.id,
    epoch_ms(ur.created) AS created,
    epoch_ms(ur.updated) AS updated,
    ur.user_id AS "user",
    ur.role_id AS role,
    r.authority
FROM sec_user_sec_role AS ur
JOIN sec_role AS r ON r.id = ur.role_id;
