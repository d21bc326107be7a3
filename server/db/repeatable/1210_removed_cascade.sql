-- What deleted rows take with them, removed by the store in the statement right after its
-- delete, in the same transaction (in place of triggers on the deleted tables, which a Citus
-- cluster would run on each shard: docs/scale-out.md). Each argument names rows already gone:
--   objects      domain objects: their properties, tags, attached files and descriptions go;
--   annotations  annotations: their term links, group links and comments go, then as objects;
--   projects, images, slices  their annotations go, then as annotations;
--   terms        terms: their term links go and expected terms are cleared;
--   users        accounts: refused while an annotation or a term link still names one.
-- The parents' annotations are deleted by their own statements, one after the other, and the
-- term links after them: the overview's upkeep of a removed term link reads the place of its
-- annotation, which the annotation's own removal keeps for the rest of the transaction.
-- Run after the delete statement, its reads see every child a concurrent transaction added
-- before the delete took its parent's lock (a later one waits and finds the parent gone).
CREATE OR REPLACE FUNCTION removed_cascade(
    objects bigint [] DEFAULT '{}',
    annotations bigint [] DEFAULT '{}',
    projects bigint [] DEFAULT '{}',
    images bigint [] DEFAULT '{}',
    slices bigint [] DEFAULT '{}',
    terms bigint [] DEFAULT '{}',
    users bigint [] DEFAULT '{}'
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    gone bigint [];
BEGIN
    annotations := coalesce(annotations, '{}');
    IF cardinality(projects) > 0 THEN
        WITH a AS (DELETE FROM annotation WHERE project_id = ANY (projects) RETURNING id)
        SELECT annotations || array_agg(a.id) INTO annotations FROM a;
    END IF;
    IF cardinality(images) > 0 THEN
        WITH a AS (DELETE FROM annotation WHERE image_id = ANY (images) RETURNING id)
        SELECT annotations || array_agg(a.id) INTO annotations FROM a;
    END IF;
    IF cardinality(slices) > 0 THEN
        WITH a AS (DELETE FROM annotation WHERE slice_id = ANY (slices) RETURNING id)
        SELECT annotations || array_agg(a.id) INTO annotations FROM a;
    END IF;
    IF cardinality(annotations) > 0 THEN
        DELETE FROM annotation_term WHERE annotation_id = ANY (annotations);
        DELETE FROM annotation_link WHERE annotation_id = ANY (annotations);
        DELETE FROM shared_annotation WHERE annotation_id = ANY (annotations);
    END IF;
    IF cardinality(terms) > 0 THEN
        DELETE FROM annotation_term WHERE term_id = ANY (terms);
        UPDATE annotation_term SET expected_term_id = NULL WHERE expected_term_id = ANY (terms);
    END IF;
    gone := coalesce(objects, '{}') || annotations;
    IF cardinality(gone) > 0 THEN
        DELETE FROM property WHERE domain_ident = ANY (gone);
        DELETE FROM tag_domain_association WHERE domain_ident = ANY (gone);
        DELETE FROM attached_file WHERE domain_ident = ANY (gone);
        DELETE FROM description WHERE domain_ident = ANY (gone);
    END IF;
    IF cardinality(users) > 0 THEN
        PERFORM refuse_referenced('sec_user', users, 'annotation', 'user_id');
        PERFORM refuse_referenced('sec_user', users, 'annotation', 'reviewer_id');
        PERFORM refuse_referenced('sec_user', users, 'annotation_term', 'user_id');
    END IF;
END
$$;
