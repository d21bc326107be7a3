-- Who was seen lately in which project: entering it, and the viewer's last heartbeat per
-- slice (one row per user and slice, so recency questions stay cheap). Cytomine's
-- "last connection" records come from the same two events.
CREATE VIEW project_presence AS
SELECT pc.user_id, pc.project_id, pc.created FROM project_connection AS pc
UNION ALL
SELECT p.user_id, p.project_id, p.created FROM last_user_position AS p;
