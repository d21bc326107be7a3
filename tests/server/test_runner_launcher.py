"""The child-process launcher and how a run's end is settled (no database)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from server.db.store.job_runs import Report
from server.db.store.jobs import FAILED, KILLED, SUCCESS
from server.runner.launcher import ChildProcessLauncher, Launch
from server.runner.worker import Outcome, settle

pytestmark = [pytest.mark.anyio]


def _launch(tmp_path: Path, code: str) -> Launch:
    return Launch(
        argv=(sys.executable, "-c", code),
        env={},
        workdir=tmp_path / "work",
        stdout=tmp_path / "out",
        stderr=tmp_path / "err",
    )


async def test_a_child_writes_to_its_files_from_its_own_directory(tmp_path: Path) -> None:
    code = "import os, sys; print(os.getcwd()); print('e', file=sys.stderr)"
    running = await ChildProcessLauncher().start(_launch(tmp_path, code))
    assert await running.wait(30) == 0
    assert (tmp_path / "out").read_text() == f"{tmp_path / 'work'}\n"
    assert (tmp_path / "err").read_text() == "e\n"


async def test_wait_answers_none_while_the_child_runs(tmp_path: Path) -> None:
    running = await ChildProcessLauncher().start(_launch(tmp_path, "import time; time.sleep(30)"))
    assert await running.wait(0.2) is None
    assert await running.kill() < 0


async def test_a_child_that_ignores_sigterm_is_killed_for_sure(tmp_path: Path) -> None:
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(60)"
    )
    running = await ChildProcessLauncher().start(_launch(tmp_path, code))
    deadline = time.monotonic() + 30
    while not (tmp_path / "out").read_text() and time.monotonic() < deadline:
        await running.wait(0.05)
    assert await running.kill() == -9


async def test_a_missing_program_cannot_start(tmp_path: Path) -> None:
    launch = Launch(
        argv=("no-such-program-anywhere",),
        env={},
        workdir=tmp_path / "work",
        stdout=tmp_path / "out",
        stderr=tmp_path / "err",
    )
    with pytest.raises(OSError):
        await ChildProcessLauncher().start(launch)


EXITED_0 = Outcome(SUCCESS, "The process ended normally", imposed=False)
EXITED_1 = Outcome(FAILED, "The process ended with exit code 1", imposed=False)
KILL = Outcome(KILLED, "Killed on request")


@pytest.mark.parametrize(
    ("outcome", "report", "expected"),
    [
        (EXITED_0, Report(status=None, comment=None), EXITED_0),
        (EXITED_0, Report(status=SUCCESS, comment="done"), Outcome(SUCCESS, "done", False)),
        (EXITED_0, Report(status=FAILED, comment="bad"), Outcome(FAILED, "bad", False)),
        (EXITED_1, Report(status=FAILED, comment="boom"), Outcome(FAILED, "boom", False)),
        (EXITED_1, Report(status=SUCCESS, comment="done"), EXITED_1),
        (KILL, Report(status=SUCCESS, comment="done"), KILL),
    ],
)
def test_the_final_status_follows_the_exit_and_what_the_algorithm_reported(
    outcome: Outcome, report: Report, expected: Outcome
) -> None:
    assert settle(outcome, report) == expected
