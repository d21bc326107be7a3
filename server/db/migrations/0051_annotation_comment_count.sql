-- Each annotation's number of comments (Cytomine's nbComments), kept on its row: the listing
-- read it from the comments of each listed row (a probe per row, about a tenth of the viewer's
-- listing at 1,000 rows). One statement writes comments (shared_annotation_insert.sql), and it
-- counts each one in; comments are deleted only with their annotation (removed_cascade), and an
-- annotation put back by undo comes back without them, at 0.
ALTER TABLE annotation ADD COLUMN comment_count integer NOT NULL DEFAULT 0;

UPDATE annotation AS a
SET comment_count = c.n
FROM (
    SELECT s.annotation_id, count(*)::integer AS n
    FROM shared_annotation AS s
    GROUP BY s.annotation_id
) AS c
WHERE a.id = c.annotation_id;
