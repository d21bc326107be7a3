-- Update the caller's profile from the Account REST API (null keeps a value).
-- $1 user_id bigint, $2 firstname, $3 lastname, $4 email, $5 is_developer boolean
UPDATE sec_user
SET
    firstname = coalesce($2, firstname),
    lastname = coalesce($3, lastname),
    email = coalesce($4, email),
    is_developer = coalesce($5, is_developer),
    updated = now()
WHERE id = $1
