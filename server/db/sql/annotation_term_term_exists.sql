-- Whether a term exists.
-- $1 term_id bigint -> found bool
SELECT EXISTS (SELECT 1 FROM term WHERE id = $1)
