-- References of annotations and their term links, checked once per statement.
-- A foreign key checks each inserted row on its own (one locking lookup of the parent per
-- row and per key): with seven keys that was three quarters of the time of a bulk COPY. The
-- same rules are kept here by statement-level triggers over the transition tables: the
-- distinct parent ids a statement names are looked up (and locked FOR KEY SHARE, as a
-- foreign key does, so a concurrent delete of a parent waits for the writer) in one query per
-- parent table, and deleting a parent cascades (or is refused) by one statement.
--   annotation.image_id, slice_id, project_id  -> cascade from image, slice, project
--   annotation.user_id, reviewer_id             -> a user with annotations can't be deleted
--   annotation_term.annotation_id, term_id      -> cascade from annotation, term
--   annotation_term.user_id                     -> a user with term links can't be deleted
--   annotation_term.expected_term_id            -> set to null when its term is deleted

ALTER TABLE annotation
    DROP CONSTRAINT annotation_image_id_fkey,
    DROP CONSTRAINT annotation_slice_id_fkey,
    DROP CONSTRAINT annotation_project_id_fkey,
    DROP CONSTRAINT annotation_user_id_fkey,
    DROP CONSTRAINT annotation_reviewer_id_fkey;
ALTER TABLE annotation_term
    DROP CONSTRAINT annotation_term_annotation_id_fkey,
    DROP CONSTRAINT annotation_term_term_id_fkey,
    DROP CONSTRAINT annotation_term_user_id_fkey,
    DROP CONSTRAINT annotation_term_expected_term_id_fkey;
-- Finds the term links of a user being deleted (the foreign key's check scanned the table).
CREATE INDEX annotation_term_user_idx ON annotation_term (user_id);

-- Lock the rows of parent whose ids are given (distinct, not null) and fail with a foreign
-- key violation naming the first missing one.
CREATE FUNCTION require_parents(parent regclass, ids bigint [], child text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    found bigint;
    missing bigint;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    EXECUTE format(
        'SELECT count(*) FROM (SELECT 1 FROM %s WHERE id = ANY ($1) FOR KEY SHARE) AS p', parent
    ) INTO found USING ids;
    IF found < cardinality(ids) THEN
        EXECUTE format(
            'SELECT min(i) FROM unnest($1) AS i WHERE NOT EXISTS (SELECT FROM %s WHERE id = i)',
            parent
        ) INTO missing USING ids;
        RAISE EXCEPTION 'insert or update on % violates its reference to %', child, parent
        USING ERRCODE = 'foreign_key_violation',
        CONSTRAINT = format('%s_%s_ref', child, parent),
        DETAIL = format('Key (id)=(%s) is not present in table "%s".', missing, parent);
    END IF;
END
$$;

-- Refuse to delete parents that rows of child still name in column.
CREATE FUNCTION refuse_referenced(parent regclass, ids bigint [], child regclass, col text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    used bigint;
BEGIN
    EXECUTE format('SELECT %I FROM %s WHERE %I = ANY ($1) LIMIT 1', col, child, col)
    INTO used USING ids;
    IF used IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on % violates a reference from %', parent, child
        USING ERRCODE = 'foreign_key_violation',
        CONSTRAINT = format('%s_%s_ref', child, col),
        DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', used, child);
    END IF;
END
$$;

CREATE FUNCTION annotation_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_parents(
        'image_instance', array(SELECT DISTINCT image_id FROM added), 'annotation'
    );
    PERFORM require_parents(
        'slice_instance', array(SELECT DISTINCT slice_id FROM added), 'annotation'
    );
    PERFORM require_parents('project', array(SELECT DISTINCT project_id FROM added), 'annotation');
    PERFORM require_parents('sec_user', array(
        SELECT user_id FROM added UNION SELECT reviewer_id FROM added WHERE reviewer_id IS NOT NULL
    ), 'annotation');
    RETURN NULL;
END
$$;
CREATE TRIGGER annotation_references_added AFTER INSERT ON annotation
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_references();
CREATE TRIGGER annotation_references_changed AFTER UPDATE ON annotation
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_references();

CREATE FUNCTION annotation_term_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_parents(
        'annotation', array(SELECT DISTINCT annotation_id FROM added), 'annotation_term'
    );
    PERFORM require_parents('term', array(
        SELECT term_id FROM added
        UNION SELECT expected_term_id FROM added WHERE expected_term_id IS NOT NULL
    ), 'annotation_term');
    PERFORM require_parents(
        'sec_user', array(SELECT DISTINCT user_id FROM added), 'annotation_term'
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER annotation_term_references_added AFTER INSERT ON annotation_term
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_term_references();
CREATE TRIGGER annotation_term_references_changed AFTER UPDATE ON annotation_term
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION annotation_term_references();

-- Parents going away. The annotation's own cascade to its term links runs after its
-- overview trigger (triggers of one event fire in name order: "annotation_overview_removed"
-- < "annotation_terms_cascade"), which keeps the places the term links' trigger needs.
CREATE FUNCTION annotation_parents_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
        WHEN 'image_instance' THEN
            DELETE FROM annotation WHERE image_id IN (SELECT id FROM removed);
        WHEN 'slice_instance' THEN
            DELETE FROM annotation WHERE slice_id IN (SELECT id FROM removed);
        WHEN 'project' THEN
            DELETE FROM annotation WHERE project_id IN (SELECT id FROM removed);
        WHEN 'annotation' THEN
            DELETE FROM annotation_term WHERE annotation_id IN (SELECT id FROM removed);
        WHEN 'term' THEN
            DELETE FROM annotation_term WHERE term_id IN (SELECT id FROM removed);
            UPDATE annotation_term SET expected_term_id = NULL
            WHERE expected_term_id IN (SELECT id FROM removed);
        WHEN 'sec_user' THEN
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation', 'user_id'
            );
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation', 'reviewer_id'
            );
            PERFORM refuse_referenced(
                'sec_user', array(SELECT id FROM removed), 'annotation_term', 'user_id'
            );
    END CASE;
    RETURN NULL;
END
$$;
CREATE TRIGGER annotation_cascade AFTER DELETE ON image_instance
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
CREATE TRIGGER annotation_cascade AFTER DELETE ON slice_instance
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
CREATE TRIGGER annotation_cascade AFTER DELETE ON project
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
CREATE TRIGGER annotation_terms_cascade AFTER DELETE ON annotation
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
CREATE TRIGGER annotation_term_cascade AFTER DELETE ON term
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
CREATE TRIGGER annotation_references_kept AFTER DELETE ON sec_user
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION annotation_parents_removed();
