-- Fold the pending aggregate changes of one image into its overview cells (and bump its
-- version) before they are read; see migration 0037.
-- $1 image_id bigint (NULL: the image of the slice), $2 slice_id bigint, $3 wait boolean
-- (false: skip the image while another session flushes it)
-- -> taken bigint (delta rows applied; 0 for an unknown image)
SELECT
    annotation_overview_flush(
        coalesce($1::bigint, (SELECT s.image_id FROM slice_instance AS s WHERE s.id = $2)),
        $3::boolean
    ) AS taken
