-- Annotations on these slices.
-- $slices bigint[]

($slices IS NULL OR a.slice_id = ANY($slices))
