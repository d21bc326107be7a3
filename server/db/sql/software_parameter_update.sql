-- Change a software parameter (the body carries the full object; its software stays).
-- $1 parameter_id bigint, $2 name text, $3 type text, $4 default_value text,
-- $5 required bool, $6 index int (NULL or -1: keep), $7 uri text, $8 uri_print_attribut text,
-- $9 uri_sort_attribut text, $10 set_by_server bool, $11 server_parameter bool,
-- $12 human_name text, $13 value_key text, $14 command_line_flag text
-- -> nothing
UPDATE software_parameter
SET
    name = $2,
    type = $3,
    default_value = $4,
    required = $5,
    index = CASE WHEN $6::int IS NULL OR $6::int = -1 THEN index ELSE $6::int END,
    uri = $7,
    uri_print_attribut = $8,
    uri_sort_attribut = $9,
    set_by_server = $10,
    server_parameter = $11,
    human_name = $12,
    value_key = $13,
    command_line_flag = $14,
    updated = now()
WHERE id = $1
