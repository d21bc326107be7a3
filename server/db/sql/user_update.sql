-- Edit an account's profile; a NULL keeps the stored value.
-- $1 user_id bigint, $2 username text, $3 firstname text, $4 lastname text, $5 email text,
-- $6 language text, $7 is_developer bool, $8 enabled bool, $9 color text
-- -> id
UPDATE sec_user
SET
    username = coalesce($2, username),
    firstname = coalesce($3, firstname),
    lastname = coalesce($4, lastname),
    email = coalesce($5, email),
    language = coalesce($6, language),
    is_developer = coalesce($7, is_developer),
    enabled = coalesce($8, enabled),
    color = coalesce($9, color),
    updated = now()
WHERE id = $1
RETURNING id
