-- The project keys Lamina knows, in Cytomine's order.
-- -> key text
SELECT d.key
FROM custom_ui_project_default AS d
ORDER BY d.ordinal
