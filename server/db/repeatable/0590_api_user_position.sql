CREATE VIEW api_user_position AS
SELECT
    p.id,
    p.image_id,
    p.user_id,
    p.slice_id,
    p.created,
    user_position_wire(
        'be.cytomine.domain.social.PersistentUserPosition', p.id, p.created, p.user_id,
        p.image_id, p.slice_id, p.project_id, p.zoom, p.rotation, p.broadcast, p.location,
        p.x, p.y
    ) AS doc
FROM user_position AS p;
