-- A new version deprecates the versions of the same software that sort before it.
-- $1 software_id bigint (the new version)
-- -> nothing
UPDATE software AS old
SET deprecated = true, updated = now()
FROM software AS new
WHERE new.id = $1 AND old.name = new.name AND old.id <> new.id
    AND old.software_version < new.software_version
