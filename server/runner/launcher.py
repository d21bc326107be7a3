"""How a job's command is started and stopped: one small interface, a child-process version.

A worker only needs ``Launcher.start`` and the ``Running`` handle it returns (wait with a
deadline, kill); a container launcher (Docker, Singularity) or an external queue can take
the child process's place without touching the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from pathlib import Path
from typing import Protocol

import msgspec

KILL_GRACE_SECONDS = 3.0
_PR_SET_PDEATHSIG = 1


class Launch(msgspec.Struct, frozen=True, kw_only=True):
    """What to run: the argument vector, its environment, directory and output files."""

    argv: tuple[str, ...]
    env: dict[str, str]
    workdir: Path
    stdout: Path
    stderr: Path


class Running(Protocol):
    """A started job."""

    async def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it still runs after ``timeout`` seconds."""

    async def kill(self) -> int:
        """Stop it (politely, then for sure) and answer its exit code."""


class Launcher(Protocol):
    """Starts jobs."""

    async def start(self, launch: Launch) -> Running:
        """Start ``launch``; OSError when it cannot start (missing program...)."""


def _child_setup() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Own process group (so a kill reaches the whole tree); on Linux, die with the runner."""
    os.setsid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class ChildProcess:
    """A job running as a child process (and its own process group)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._process.pid

    async def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it still runs after ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self._process.wait(), timeout)
        except TimeoutError:
            return None

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, sig)

    async def kill(self) -> int:
        """SIGTERM to the group, SIGKILL after a grace period."""
        self._signal(signal.SIGTERM)
        code = await self.wait(KILL_GRACE_SECONDS)
        if code is None:
            self._signal(signal.SIGKILL)
            code = await self._process.wait()
        return code


class ChildProcessLauncher:
    """Runs each job as a child process of the runner, without a shell."""

    async def start(self, launch: Launch) -> Running:
        """Start the command with its output going to the two files."""
        launch.workdir.mkdir(parents=True, exist_ok=True)
        with launch.stdout.open("wb") as out, launch.stderr.open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                *launch.argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=launch.workdir,
                env=launch.env,
                preexec_fn=_child_setup,  # noqa: PLW1509 - only setsid and prctl, no locks
            )
        return ChildProcess(process)


__all__ = ["ChildProcess", "ChildProcessLauncher", "Launch", "Launcher", "Running"]
