-- Take files queued for removal (deleted job data), a batch at a time; concurrent takers get
-- other rows.
-- $1 batch integer
-- -> path text
DELETE FROM job_data_file_removal
WHERE path IN (
    SELECT r.path
    FROM job_data_file_removal AS r
    ORDER BY r.queued
    LIMIT $1
    FOR UPDATE SKIP LOCKED
)
RETURNING path
