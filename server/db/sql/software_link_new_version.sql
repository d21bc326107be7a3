-- A new version of a software joins every project that uses another version of it.
-- $1 software_id bigint (the new version)
-- -> nothing
INSERT INTO software_project (software_id, project_id)
SELECT DISTINCT new.id, sp.project_id
FROM software AS new
JOIN software AS other
    ON other.name = new.name AND other.id <> new.id
    AND other.software_version IS DISTINCT FROM new.software_version
JOIN software_project AS sp ON sp.software_id = other.id
WHERE new.id = $1
ON CONFLICT (software_id, project_id) DO NOTHING
