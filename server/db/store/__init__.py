"""Store functions: one async function per query, raising domain errors."""
