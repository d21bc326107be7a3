"""The suite fails when a PostgreSQL backend of its cluster died on a signal (conftest)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import backend_crashes

ABORT = (
    "2026-12-07 17:57:11.387 UTC [16635] LOG:  server process (PID 19455) was terminated by "
    "signal 6: Aborted"
)
STATEMENT = "2026-12-07 17:57:11.387 UTC [16635] DETAIL:  Failed process was running: SELECT 1"


def test_a_backend_ended_by_a_signal_is_reported_with_its_statement(tmp_path: Path) -> None:
    log = tmp_path / "postgres.log"
    lines = [
        "2026-12-07 17:57:11.079 UTC [16636] LOG:  checkpoint complete",
        "Fatal glibc error: malloc assertion failure in sysmalloc",
        ABORT,
        STATEMENT,
        "2026-12-07 17:57:11.387 UTC [16635] LOG:  terminating any other active server processes",
    ]
    log.write_text("\n".join(lines) + "\n")
    assert backend_crashes(log) == [f"{ABORT}\n{STATEMENT}"]


def test_errors_and_terminated_sessions_are_no_crash(tmp_path: Path) -> None:
    log = tmp_path / "postgres.log"
    log.write_text(
        "2026-12-07 18:06:32.679 UTC [1707] ERROR:  canceling statement due to user request\n"
        "2026-12-07 18:06:57.915 UTC [3145] FATAL:  connection to client lost\n"
        "2026-12-07 18:07:00.000 UTC [3146] FATAL:  terminating connection due to "
        "administrator command\n"
    )
    assert backend_crashes(log) == []
