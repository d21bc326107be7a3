-- The first id the listing names that does not exist or that the caller may not read (no row:
-- all fine), checked like reading the object (annotation_list_refused in the repeatable layer):
-- a filter on a foreign annotation's geometry would otherwise measure it, and a filter on a
-- foreign id would tell whether it exists. Part of the listing statement, so that the check
-- costs no round trip of its own.
-- $user_id bigint
-- $bypass boolean
-- $ref_annotations bigint[]
-- $ref_projects bigint[]
-- $ref_images bigint[]
-- $ref_slices bigint[]
-- $ref_terms bigint[]
-- $ref_tracks bigint[]
-- $ref_users bigint[]
-- $ref_tags bigint[]
-- -> kind text, id bigint, found bool (false: 404; true: not readable, 403)

SELECT r.refused_kind AS kind, r.refused_id AS id, r.refused_found AS found
FROM annotation_list_refused(
    $user_id, $bypass, $ref_annotations, $ref_projects, $ref_images, $ref_slices, $ref_terms,
    $ref_tracks, $ref_users, $ref_tags
) AS r
