-- Actions (commands and their undo/redo) newest first, as Cytomine's activity logs read them.
-- $1 project_ids bigint[] (NULL: the projects the caller reads), $2 user_id bigint (filter),
-- $3 after timestamptz, $4 before timestamptz, $5 limit bigint (NULL: all), $6 offset bigint,
-- $7 full_data bool, $8 caller_id bigint, $9 caller_is_admin bool
-- -> items text (JSON array)
SELECT coalesce(json_agg(x.item ORDER BY x.created DESC, x.id DESC), '[]')::text AS items
FROM (
    SELECT
        h.id,
        h.created,
        jsonb_build_object(
            'id', h.id,
            'created', epoch_ms(h.created),
            'message', command_message(c.type, c.class_name, c.object_id),
            'prefix', h.prefix_action,
            'prefixAction', h.prefix_action,
            'user', h.user_id,
            'project', h.project_id
        ) || CASE WHEN $7 THEN jsonb_build_object(
            'data', command_data(c.type, c.class_name, c.data),
            'serviceName', command_service(c.class_name),
            'className', command_class(c.type),
            'action', command_message(c.type, c.class_name, c.object_id) || ' by ' || coalesce(u.username, '')
        ) ELSE '{}'::jsonb END AS item
    FROM command_history AS h
    INNER JOIN command AS c ON c.id = h.command_id
    LEFT JOIN sec_user AS u ON u.id = h.user_id
    WHERE h.project_id IS NOT NULL
        AND (
            h.project_id = ANY($1::bigint [])
            OR ($1::bigint [] IS NULL AND ($9 OR project_readable(h.project_id, $8)))
        )
        AND ($2::bigint IS NULL OR h.user_id = $2)
        AND ($3::timestamptz IS NULL OR h.created > $3)
        AND ($4::timestamptz IS NULL OR h.created < $4)
    ORDER BY h.created DESC, h.id DESC
    LIMIT $5 OFFSET $6
) AS x
