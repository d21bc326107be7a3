-- Every dated trace of a user in a project: entering it, viewer heartbeats, image openings,
-- annotation actions and user annotations created.
CREATE VIEW project_activity AS
SELECT pc.user_id, pc.project_id, pc.created FROM project_connection AS pc
UNION ALL
SELECT p.user_id, p.project_id, p.created FROM user_position AS p
UNION ALL
SELECT c.user_id, c.project_id, c.created FROM image_consultation AS c
UNION ALL
SELECT a.user_id, a.project_id, a.created FROM annotation_action AS a
UNION ALL
SELECT a.user_id, a.project_id, a.created FROM annotation AS a WHERE a.kind = 'user';
