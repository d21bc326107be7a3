-- Hidden layers (layer_visible): the projects whose every layer the caller sees are read once
-- per statement (a hashed set); the rule is asked per row only for the other projects.

(
    $bypass
    OR a.project_id IN (SELECT l.project_id FROM member_layers($user_id) AS l WHERE l.every_layer)
    OR layer_visible(a.project_id, a.user_id, $user_id, false)
)
