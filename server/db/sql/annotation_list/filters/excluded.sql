-- excludedAnnotation: every annotation but this one.
-- $excluded bigint

($excluded IS NULL OR a.id <> $excluded)
