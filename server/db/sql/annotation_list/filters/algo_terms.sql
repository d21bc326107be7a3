-- userForTermAlgo / jobForTermAlgo, suggestedTerm: a term link given by a user job (this one,
-- or any), for this suggested term.
-- $algo_term_user bigint
-- $suggested_term bigint

(
    ($algo_term_user IS NULL AND $suggested_term IS NULL)
    OR EXISTS (
        SELECT 1 FROM annotation_term AS t
        INNER JOIN user_job AS uj ON t.user_id = uj.id
        WHERE
            t.annotation_id = a.id
            AND ($algo_term_user IS NULL OR t.user_id = $algo_term_user)
            AND ($suggested_term IS NULL OR t.term_id = $suggested_term)
    )
)
