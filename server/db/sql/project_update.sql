-- Change a project's settings; NULL keeps a value, except the ontology when $3 is true.
-- $1 project_id bigint, $2 name text, $3 set_ontology bool, $4 ontology_id bigint,
-- $5 blind_mode bool, $6 is_read_only bool, $7 is_restricted bool,
-- $8 hide_users_layers bool, $9 hide_admins_layers bool, $10 are_images_downloadable bool,
-- $11 is_closed bool
-- -> id
UPDATE project SET
    updated = now(),
    name = coalesce($2, name),
    ontology_id = CASE WHEN $3 THEN $4 ELSE ontology_id END,
    blind_mode = coalesce($5, blind_mode),
    is_read_only = coalesce($6, is_read_only),
    is_restricted = coalesce($7, is_restricted),
    hide_users_layers = coalesce($8, hide_users_layers),
    hide_admins_layers = coalesce($9, hide_admins_layers),
    are_images_downloadable = coalesce($10, are_images_downloadable),
    is_closed = coalesce($11, is_closed)
WHERE id = $1
RETURNING id
