-- Whether a software exists and is enabled in a project (a job needs both).
-- $1 project_id bigint, $2 software_id bigint
-- -> software_exists bool, offered bool
SELECT
    EXISTS (SELECT 1 FROM software AS s WHERE s.id = $2) AS software_exists,
    EXISTS (
        SELECT 1 FROM software_project AS sp
        WHERE sp.project_id = $1 AND sp.software_id = $2
    ) AS offered
