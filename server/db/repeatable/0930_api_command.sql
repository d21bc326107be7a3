-- One command as Cytomine's Command JSON.
CREATE VIEW api_command AS
SELECT
    command_class(c.type) AS "class",
    c.id,
    epoch_ms(c.created) AS created,
    NULL::text AS updated,
    initcap(c.type) || 'Command' AS "CLASSNAME",
    command_service(c.class_name) AS "serviceName",
    command_message(c.type, c.class_name, c.object_id) || ' by user with id ' || coalesce(c.user_id::text, '') AS action,
    command_data(c.type, c.class_name, c.data) AS data,
    c.user_id AS "user",
    c.type
FROM command AS c;
