-- Wire views of accounts and roles: column names are the JSON field names, so
-- row_to_json(view) is the API object. Secrets (password hash, private key) stay out.

CREATE VIEW api_user AS
SELECT
    'be.cytomine.domain.security.User'::text AS "class",
    u.id,
    epoch_ms(u.created) AS created,
    epoch_ms(u.updated) AS updated,
    u.username,
    u.firstname,
    u.lastname,
    u.email,
    u.language,
    coalesce(nullif(concat_ws(' ', u.firstname, u.lastname), ''), u.username) AS name,
    coalesce(nullif(concat_ws(' ', u.firstname, u.lastname), ''), u.username) AS "fullName",
    u.origin,
    false AS algo,
    u.is_developer AS "isDeveloper",
    u.enabled,
    u.creator_id AS "user",
    u.color
FROM sec_user AS u;

CREATE VIEW api_sec_role AS
SELECT
    'be.cytomine.domain.security.SecRole'::text AS "class",
    r.id,
    epoch_ms(r.created) AS created,
    epoch_ms(r.updated) AS updated,
    r.authority
FROM sec_role AS r;

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
