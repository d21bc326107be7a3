-- Whether a user or algo annotation has its reviewed copy (Cytomine's reviewed and
-- countReviewedAnnotations), kept on its row: the listing looked the copy up for each listed
-- row. Every statement that inserts or deletes annotations passes their parents to
-- annotation_rows_written (repeatable/0530), which sets or clears the flag of the annotation a
-- reviewed copy reviews; annotation_undo_insert sets it on an annotation it puts back whose
-- copy is still there.
ALTER TABLE annotation ADD COLUMN reviewed boolean NOT NULL DEFAULT false;

UPDATE annotation AS a
SET reviewed = true
WHERE
    a.kind <> 'reviewed'
    AND EXISTS (SELECT 1 FROM annotation AS r WHERE r.parent_id = a.id AND r.kind = 'reviewed');

-- The signature without the parents goes, so that a writer still calling it fails instead of
-- leaving a flag behind.
DROP FUNCTION IF EXISTS annotation_rows_written(
    bigint [], bigint [], bigint [], bigint [], text [], double precision [],
    double precision [], integer
);
