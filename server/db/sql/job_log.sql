-- The log file of a job: its latest attached file named log.out (no row: none).
-- $1 job_id bigint
-- -> obj text (AttachedFile object)
SELECT row_to_json(v)::text AS obj
FROM api_attached_file AS v
WHERE
    v."domainIdent" = $1
    AND v."domainClassName" IN ('be.cytomine.processing.Job', 'be.cytomine.domain.processing.Job')
    AND v.filename = 'log.out'
ORDER BY v.id DESC
LIMIT 1
