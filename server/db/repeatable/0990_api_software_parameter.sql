CREATE VIEW api_software_parameter AS
SELECT
    'be.cytomine.processing.SoftwareParameter'::text AS "class",
    p.id,
    epoch_ms(p.created) AS created,
    epoch_ms(p.updated) AS updated,
    p.name,
    p.type,
    p.default_value AS "defaultParamValue",
    p.required,
    p.software_id AS software,
    p.index,
    p.uri,
    p.uri_print_attribut AS "uriPrintAttribut",
    p.uri_sort_attribut AS "uriSortAttribut",
    p.set_by_server AS "setByServer",
    p.server_parameter AS "serverParameter",
    coalesce(p.human_name, p.name) AS "humanName",
    p.value_key AS "valueKey",
    p.command_line_flag AS "commandLineFlag"
FROM software_parameter AS p;
