-- notReviewedOnly: annotations without a reviewed copy.
-- $not_reviewed_only boolean

(NOT $not_reviewed_only OR NOT EXISTS (SELECT 1 FROM annotation AS v WHERE v.parent_id = a.id))
