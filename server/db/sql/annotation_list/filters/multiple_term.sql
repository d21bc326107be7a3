-- multipleTerm: annotations with more than one distinct term.
-- $multiple_term boolean

(
    NOT $multiple_term
    OR (SELECT count(DISTINCT t.term_id) FROM annotation_term AS t WHERE t.annotation_id = a.id) > 1
)
