-- What deleted rows take with them, removed by the store in the statement right after its
-- delete, in the same transaction (in place of triggers on the deleted tables, which a Citus
-- cluster would run on each shard: docs/scale-out.md). Each argument names rows already gone:
--   objects      domain objects: their properties, tags, attached files and descriptions go;
--   annotations  annotations: their term links, group links and comments go, then as objects;
--   projects, images, slices  their annotations go (counted out of the project and image
--                that remain, and out of the overview), then as annotations;
--   terms        terms: their term links go (out of the overview; the annotations that had
--                them are relisted: annotation_terms_relist) and expected terms are cleared;
--   users        accounts: refused while an annotation or a term link still names one.
-- The parents' annotations are deleted by their own statements, one after the other, and the
-- term links after them: the delete of an annotation counts its terms out of the overview
-- (annotation_overview_rows reads its links, still there), so the links of deleted annotations
-- go without overview upkeep (annotation_overview_links would find no annotation).
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
    parent record;
    gone bigint [];
    linked bigint [];
BEGIN
    annotations := coalesce(annotations, '{}');
    FOR parent IN
        SELECT * FROM (VALUES ('project_id', projects), ('image_id', images), ('slice_id', slices))
            AS p (col, ids)
        WHERE cardinality(p.ids) > 0
    LOOP
        EXECUTE format(
            'WITH a AS ('
            '    DELETE FROM annotation WHERE %I = ANY ($1)'
            '    RETURNING id, project_id, image_id, user_id, kind, parent_id,'
            '        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y'
            '), w AS ('
            '    SELECT annotation_rows_written('
            '        array_agg(a.id), array_agg(a.project_id), array_agg(a.image_id),'
            '        array_agg(a.user_id), array_agg(a.kind), array_agg(a.parent_id),'
            '        array_agg(a.x), array_agg(a.y), -1'
            '    ) FROM a'
            ') SELECT array_agg(a.id) FROM a, w',
            parent.col
        ) INTO gone USING parent.ids;
        annotations := annotations || gone;
    END LOOP;
    IF cardinality(annotations) > 0 THEN
        DELETE FROM annotation_term WHERE annotation_id = ANY (annotations);
        DELETE FROM annotation_link WHERE annotation_id = ANY (annotations);
        DELETE FROM shared_annotation WHERE annotation_id = ANY (annotations);
    END IF;
    IF cardinality(terms) > 0 THEN
        WITH t AS (
            DELETE FROM annotation_term WHERE term_id = ANY (terms)
            RETURNING annotation_id, term_id
        ), o AS (
            SELECT annotation_overview_links(
                array_agg(t.annotation_id), array_agg(t.term_id), array_agg(-1)
            ) FROM t
        )
        SELECT array_agg(DISTINCT t.annotation_id) INTO linked FROM t, o;
        PERFORM annotation_terms_relist(linked);
        UPDATE annotation_term SET expected_term_id = NULL WHERE expected_term_id = ANY (terms);
    END IF;
    objects := coalesce(objects, '{}') || annotations;
    IF cardinality(objects) > 0 THEN
        DELETE FROM property WHERE domain_ident = ANY (objects);
        DELETE FROM tag_domain_association WHERE domain_ident = ANY (objects);
        DELETE FROM attached_file WHERE domain_ident = ANY (objects);
        DELETE FROM description WHERE domain_ident = ANY (objects);
    END IF;
    IF cardinality(users) > 0 THEN
        PERFORM refuse_referenced('sec_user', users, 'annotation', 'user_id');
        PERFORM refuse_referenced('sec_user', users, 'annotation', 'reviewer_id');
        PERFORM refuse_referenced('sec_user', users, 'annotation_term', 'user_id');
    END IF;
END
$$;
