-- Mark or unmark a job as favourite (no change of its updated date, as Cytomine).
-- $1 job_id bigint, $2 favorite bool
-- -> id bigint
UPDATE job SET favorite = $2
WHERE id = $1
RETURNING id
