-- Accounts as the API shows them: column names are the JSON field names, so row_to_json(view)
-- is the API object; secrets (password hash, private key) stay out. "algo" says whether the
-- account is a user job (human lists leave them out).
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
    EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = u.id) AS algo,
    u.is_developer AS "isDeveloper",
    u.enabled,
    u.creator_id AS "user",
    u.color
FROM sec_user AS u;
