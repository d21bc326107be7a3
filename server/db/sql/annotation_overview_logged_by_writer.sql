-- Whether the writer logs the overview changes of the annotations and term links it inserts
-- itself (for the rest of the transaction), so the insert triggers skip them (migration 0037).
-- $1 'on' or 'off' text
-- -> set_config text
SELECT set_config('lamina.overview_logged', $1::text, true)
