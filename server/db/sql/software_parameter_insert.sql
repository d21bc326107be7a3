-- Declare a software parameter; without an index (NULL or -1) it goes after the others.
-- $1 software_id bigint, $2 name text, $3 type text, $4 default_value text,
-- $5 required bool, $6 index int, $7 uri text, $8 uri_print_attribut text,
-- $9 uri_sort_attribut text, $10 set_by_server bool, $11 server_parameter bool,
-- $12 human_name text, $13 value_key text, $14 command_line_flag text
-- -> id bigint
INSERT INTO software_parameter (
    software_id, name, type, default_value, required, index, uri, uri_print_attribut,
    uri_sort_attribut, set_by_server, server_parameter, human_name, value_key,
    command_line_flag
)
VALUES (
    $1, $2, $3, $4, $5,
    CASE
        WHEN $6::int IS NULL OR $6::int = -1 THEN (
            SELECT coalesce(max(p.index) + 1, 0) FROM software_parameter AS p
            WHERE p.software_id = $1
        )
        ELSE $6::int
    END,
    $7, $8, $9, $10, $11, $12, $13, $14
)
RETURNING id
