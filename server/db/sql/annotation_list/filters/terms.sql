-- Terms: with one of these terms, and/or a term added by one of usersForTerm; noTerm: without
-- any term.
-- $terms bigint[]
-- $no_term boolean
-- $users_for_term bigint[]

(
    ($terms IS NULL AND NOT $no_term AND $users_for_term IS NULL)
    OR EXISTS (
        SELECT 1 FROM annotation_term AS t
        WHERE
            t.annotation_id = a.id
            AND ($terms IS NULL OR t.term_id = ANY($terms))
            AND ($users_for_term IS NULL OR t.user_id = ANY($users_for_term))
            AND ($terms IS NOT NULL OR $users_for_term IS NOT NULL)
    )
    OR ($no_term AND NOT EXISTS (SELECT 1 FROM annotation_term AS t WHERE t.annotation_id = a.id))
)
