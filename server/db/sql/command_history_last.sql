-- The last actions of a project as Cytomine's CommandHistory objects, newest first.
-- $1 project_id bigint, $2 limit bigint, $3 offset bigint
-- -> size bigint, items text (JSON array)
SELECT
    (SELECT count(*) FROM command_history AS n WHERE n.project_id = $1) AS size,
    coalesce(json_agg(x.item ORDER BY x.created DESC, x.id DESC), '[]')::text AS items
FROM (
    SELECT
        h.id,
        h.created,
        json_build_object(
            'class', 'be.cytomine.domain.command.CommandHistory',
            'id', h.id,
            'created', epoch_ms(h.created),
            'updated', NULL,
            'command', row_to_json(v),
            'prefixAction', h.prefix_action,
            'user', h.user_id
        ) AS item
    FROM command_history AS h
    INNER JOIN api_command AS v ON v.id = h.command_id
    WHERE h.project_id = $1
    ORDER BY h.created DESC, h.id DESC
    LIMIT $2 OFFSET $3
) AS x
