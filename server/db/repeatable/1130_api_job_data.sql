CREATE VIEW api_job_data AS
SELECT
    'be.cytomine.processing.JobData'::text AS "class",
    d.id,
    epoch_ms(d.created) AS created,
    epoch_ms(d.updated) AS updated,
    d.key,
    d.job_id AS job,
    d.filename,
    d.size
FROM job_data AS d;
