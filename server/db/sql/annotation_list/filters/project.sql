-- Annotations of one project.
-- $project bigint

($project IS NULL OR a.project_id = $project)
