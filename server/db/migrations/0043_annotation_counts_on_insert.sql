-- The statements that insert annotations count them into their projects and images
-- themselves (annotation_count_change with +1, in the same statement; the bulk COPY in the
-- same transaction, right after it), as the deletes already count theirs out. A Citus
-- cluster would run this statement trigger on each shard, on the workers, outside the
-- coordinator's statement (docs/scale-out.md).
DROP TRIGGER annotation_count_added ON annotation;
DROP FUNCTION annotation_count_added();
