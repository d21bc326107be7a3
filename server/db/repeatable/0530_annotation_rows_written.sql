-- What a statement that inserted (delta 1) or deleted (delta -1) annotations owes the rest of
-- the schema, one row per array position: the counters of their projects and images
-- (annotation_count_change) and the overview (annotation_overview_rows). Called once by that
-- statement, in a CTE over the rows its write returned.
CREATE OR REPLACE FUNCTION annotation_rows_written(
    ids bigint [], project_ids bigint [], image_ids bigint [], user_ids bigint [],
    kinds text [], xs double precision [], ys double precision [], delta integer
) RETURNS void
LANGUAGE sql AS $$
    SELECT annotation_count_change(project_ids, image_ids, kinds, delta);
    SELECT annotation_overview_rows(
        ids, image_ids, user_ids, kinds, xs, ys,
        array_fill(delta, ARRAY[coalesce(cardinality(ids), 0)])
    );
$$;
