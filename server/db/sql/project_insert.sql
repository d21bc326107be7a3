-- Create a project.
-- $1 name text, $2 ontology_id bigint, $3 creator_id bigint, $4 blind_mode bool,
-- $5 is_read_only bool, $6 is_restricted bool, $7 hide_users_layers bool,
-- $8 hide_admins_layers bool, $9 are_images_downloadable bool, $10 is_closed bool
-- (NULL flags take the column default)
-- -> id
INSERT INTO project (
    name, ontology_id, creator_id, blind_mode, is_read_only, is_restricted,
    hide_users_layers, hide_admins_layers, are_images_downloadable, is_closed
)
VALUES (
    $1, $2, $3, coalesce($4, false), coalesce($5, false), coalesce($6, false),
    coalesce($7, false), coalesce($8, false), coalesce($9, false), coalesce($10, false)
)
RETURNING id
