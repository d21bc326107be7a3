-- The item groups past the viewer's (track, image, slice, user, imageGroup, group), each a
-- comma-terminated argument of the item's concat in statement.sql. Statements that list only
-- the viewer's groups (basic, meta, wkt, gis, term) leave them out: a hidden group costs
-- nothing to run, but each of these subqueries costs planning on every custom plan.

CASE WHEN g.track THEN coalesce((
    SELECT concat(
        ',"track":[', string_agg(r.track_id::text, ',' ORDER BY r.track_id),
        '],"annotationTrack":[', string_agg(concat(
            '{"id":', r.id, ',"track":', r.track_id, '}'
        ), ',' ORDER BY r.track_id), ']'
    )
    FROM annotation_track AS r WHERE r.annotation_id = a.id
), ',"track":[],"annotationTrack":[]') END,
CASE WHEN g.image THEN (
    SELECT concat(
        ',"originalFilename":',
        coalesce(to_json(
            CASE WHEN p.blind_mode THEN i.id::text ELSE ai.original_filename END
        )::text, 'null'),
        ',"instanceFilename":', coalesce(to_json(CASE WHEN p.blind_mode THEN i.id::text
            ELSE coalesce(i.instance_filename, ai.original_filename) END)::text, 'null')
    )
    FROM image_instance AS i
    INNER JOIN abstract_image AS ai ON i.base_image_id = ai.id
    INNER JOIN project AS p ON i.project_id = p.id
    WHERE i.id = a.image_id
) END,
CASE WHEN g.slice THEN (
    SELECT concat(',"channel":', bs.channel, ',"zStack":', bs.z_stack, ',"time":', bs.time)
    FROM slice_instance AS si
    INNER JOIN abstract_slice AS bs ON si.base_slice_id = bs.id
    WHERE si.id = a.slice_id
) END,
CASE WHEN g.usr THEN (
    SELECT concat(
        ',"creator":', to_json(u.username),
        ',"name":',
        coalesce(to_json(nullif(concat_ws(' ', u.firstname, u.lastname), ''))::text, 'null'),
        ',"firstname":', coalesce(to_json(u.firstname)::text, 'null'),
        ',"lastname":', coalesce(to_json(u.lastname)::text, 'null')
    )
    FROM sec_user AS u WHERE u.id = a.user_id
) END,
CASE WHEN g.image_group THEN concat(',"imageGroup":', coalesce((
    SELECT gi.group_id::text FROM image_group_image_instance AS gi
    WHERE gi.image_id = a.image_id ORDER BY gi.id LIMIT 1
), 'null')) END,
CASE WHEN g.link THEN coalesce((
    SELECT concat(',"group":', own.group_id, ',"annotationLink":[', string_agg(concat(
        '{"id":', l.id, ',"annotation":', l.annotation_id, ',"image":', l.image_id,
        ',"updated":', coalesce(to_json(epoch_ms(l.updated))::text, 'null'), '}'
    ), ',' ORDER BY l.id), ']')
    FROM annotation_link AS own
    INNER JOIN annotation_link AS l ON l.group_id = own.group_id
    WHERE own.annotation_id = a.id
    GROUP BY own.group_id
), ',"group":null,"annotationLink":[]') END,
