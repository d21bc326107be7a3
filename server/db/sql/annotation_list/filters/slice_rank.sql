-- With tracks, beforeSlice/afterSlice: annotations on planes ranked before/after that plane.
-- $slice_rank bigint
-- $before boolean

(
    $slice_rank IS NULL
    OR EXISTS (
        SELECT 1 FROM slice_instance AS si
        INNER JOIN abstract_slice AS bs ON si.base_slice_id = bs.id
        INNER JOIN abstract_image AS ai ON bs.image_id = ai.id
        WHERE
            si.id = a.slice_id
            AND CASE
                WHEN $before
                    THEN bs.channel + ai.channels * (bs.z_stack + ai.depth * bs."time") < $slice_rank
                ELSE bs.channel + ai.channels * (bs.z_stack + ai.depth * bs."time") > $slice_rank
            END
    )
)
