-- Remove what the rows a delete statement answered take with them (see the function).
-- $1 objects bigint[], $2 annotations bigint[], $3 projects bigint[], $4 images bigint[],
-- $5 slices bigint[], $6 terms bigint[], $7 users bigint[] (NULL: none)
-- -> nothing
SELECT removed_cascade(
    objects => coalesce($1::bigint [], '{}'),
    annotations => coalesce($2::bigint [], '{}'),
    projects => coalesce($3::bigint [], '{}'),
    images => coalesce($4::bigint [], '{}'),
    slices => coalesce($5::bigint [], '{}'),
    terms => coalesce($6::bigint [], '{}'),
    users => coalesce($7::bigint [], '{}')
)
