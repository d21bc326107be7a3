-- Images whose overview cells have changes waiting for a flush.
-- -> image_id bigint
SELECT DISTINCT d.image_id FROM annotation_overview_delta AS d
