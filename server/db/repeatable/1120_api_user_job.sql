-- The account fields of a user job (as a SecUser) plus its run. The private key is in the
-- view; statements show it only to the run itself, its launcher and admins.
CREATE VIEW api_user_job AS
SELECT
    'be.cytomine.security.UserJob'::text AS "class",
    a.id,
    epoch_ms(a.created) AS created,
    epoch_ms(a.updated) AS updated,
    a.username,
    a.origin,
    true AS algo,
    h.username AS "humanUsername",
    a.public_key AS "publicKey",
    a.private_key AS "privateKey",
    uj.job_id AS job,
    uj.user_id AS "user",
    uj.rate,
    j.project_id AS project
FROM user_job AS uj
JOIN sec_user AS a ON a.id = uj.id
JOIN job AS j ON j.id = uj.job_id
LEFT JOIN sec_user AS h ON h.id = uj.user_id;
