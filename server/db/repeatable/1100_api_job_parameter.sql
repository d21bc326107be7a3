CREATE VIEW api_job_parameter AS
SELECT
    'be.cytomine.processing.JobParameter'::text AS "class",
    jp.id,
    epoch_ms(jp.created) AS created,
    epoch_ms(jp.updated) AS updated,
    jp.value,
    jp.job_id AS job,
    jp.software_parameter_id AS "softwareParameter",
    sp.name,
    sp.type,
    sp.index,
    sp.uri,
    sp.uri_print_attribut AS "uriPrintAttribut",
    sp.uri_sort_attribut AS "uriSortAttribut",
    coalesce(sp.human_name, sp.name) AS "humanName"
FROM job_parameter AS jp
JOIN software_parameter AS sp ON sp.id = jp.software_parameter_id;
