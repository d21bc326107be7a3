-- Storages as the API shows them, and the indexes the user and storage lists need.

CREATE INDEX IF NOT EXISTS storage_user_idx ON storage (user_id);
CREATE INDEX IF NOT EXISTS sec_user_sec_role_role_idx ON sec_user_sec_role (role_id);

CREATE VIEW api_storage AS
SELECT
    'be.cytomine.domain.image.server.Storage'::text AS "class",
    s.id,
    epoch_ms(s.created) AS created,
    epoch_ms(s.updated) AS updated,
    s.name,
    s.user_id AS "user"
FROM storage AS s;
