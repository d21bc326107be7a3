-- Remove the reviewed copies of the user annotations of some users on an image.
-- $1 image_id bigint, $2 user_ids bigint[] -> id bigint (each deleted reviewed annotation)
-- (the store then runs removed_cascade with them)
DELETE FROM annotation AS r
USING annotation AS a
WHERE
    r.parent_id = a.id
    AND r.kind = 'reviewed'
    AND a.image_id = $1
    AND a.user_id = ANY($2::bigint [])
    AND a.kind = 'user'
RETURNING r.id
