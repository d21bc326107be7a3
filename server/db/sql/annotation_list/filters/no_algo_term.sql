-- noAlgoTerm: annotations no user job gave a term to.
-- $no_algo_term boolean

(
    NOT $no_algo_term OR NOT EXISTS (
        SELECT 1 FROM annotation_term AS t
        INNER JOIN user_job AS uj ON t.user_id = uj.id
        WHERE t.annotation_id = a.id
    )
)
