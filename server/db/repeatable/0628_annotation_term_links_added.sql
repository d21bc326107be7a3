-- What a statement that added term links owes the rest of the schema, one link per array
-- position: their references checked (annotation_term_parents, in place of foreign keys) and
-- the pairs (annotation, term) that gained their first link counted into the overview
-- (annotation_overview_links). Called once by that statement, in a CTE over the links its
-- INSERT returned. Statements that also remove links call the two on their own.
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_term_links_added(
    image_ids bigint [], annotation_ids bigint [], term_ids bigint [], user_ids bigint []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM annotation_term_parents(image_ids, annotation_ids, term_ids, user_ids);
    PERFORM annotation_overview_links(
        annotation_ids, term_ids, array_fill(1, ARRAY[coalesce(cardinality(annotation_ids), 0)])
    );
END
$$;
