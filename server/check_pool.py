"""A few processes that run the CPU-bound checks of bulk writes, away from the event loop.

Parsing and checking geometry costs more Python time per row than PostgreSQL spends
loading it. In a worker thread that work still holds the GIL for most of each batch (the
per-geometry parsers and the building of coordinate lists run in Python objects), so the
event loop that feeds the COPY stalls while a batch is checked. Checked in another process,
a batch costs the loop only its encoding, and the checks of the next batches overlap the
COPY of the previous ones on another core.

Each worker process of the server (``LAMINA_WORKERS``) owns its pool, made by the runtime
when it starts and shut down when it stops; the processes are spawned on first use (a
server that imports nothing pays nothing). Tasks are module-level functions taking and
returning ``bytes`` (the caller encodes its batch compactly, with msgspec), so nothing but a
buffer crosses the pipe. The checker processes run without the cyclic garbage collector
during a task (checking builds many short-lived lists, which triggered collections that
cost as much as the decoding) and collect once after it.

A checker process that dies (killed, out of memory) breaks the pool: the task's caller
gets ``CheckerStopped`` (503, nothing of the request is written) and the next task starts a
fresh pool. A checker whose server process died without shutting it down exits by itself
within ``PARENT_POLL_SECONDS``.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager

import anyio

from contracts.errors import DomainError

Task = Callable[[bytes], bytes]
PARENT_POLL_SECONDS = 1.0


class CheckerStopped(DomainError):
    """A checker process ended while it checked a batch of this request."""

    status = 503


def _start_process(parent: int) -> None:
    """Checker process start-up: collect garbage only between tasks (see ``_call``), and
    end when the server process that started it is gone."""
    gc.disable()
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    """Exit once ``parent`` has died (the process is then adopted by another).

    A server process killed outright (``kill -9``, the out-of-memory killer) runs no
    shutdown, and a checker writing a large answer into the pipe it shares with it would
    block forever.
    """
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(0)


def _call(task: Task, payload: bytes) -> bytes:
    """Run one task in a checker process, then collect the cycles it may have left."""
    try:
        return task(payload)
    finally:
        gc.collect(1)


class CheckPool:
    """A bounded pool of checker processes (``processes`` of them, spawned on demand)."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a check pool needs at least one process")
        self.processes = processes
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the check pool is shut down")
            if self._executor is None:
                # spawn, not fork: the server process holds threads, sockets and an event loop
                self._executor = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_process,
                    initargs=(os.getpid(),),
                )
            return self._executor

    def _forget(self, broken: ProcessPoolExecutor) -> None:
        """Drop a broken executor, so that the next task starts fresh processes."""
        with self._lock:
            if self._executor is broken:
                self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, task: Task, payload: bytes) -> bytes:
        """``task(payload)`` in a checker process; its exception is raised here."""
        executor = self._current()
        try:
            future = executor.submit(_call, task, payload)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._forget(executor)
            raise CheckerStopped(
                "A geometry checker process stopped while checking this request: "
                "nothing was written, try again"
            ) from exc

    def shutdown(self) -> None:
        """Stop the processes once their tasks are done (blocking); later tasks are refused."""
        with self._lock:
            executor, self._executor, self._closed = self._executor, None, True
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


@asynccontextmanager
async def check_pool(processes: int) -> AsyncIterator[CheckPool | None]:
    """A pool of ``processes`` checkers for a lifespan (None for 0: checks run in threads)."""
    if processes <= 0:
        yield None
        return
    pool = CheckPool(processes)
    try:
        yield pool
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(pool.shutdown)


__all__ = ["CheckPool", "CheckerStopped", "Task", "check_pool"]
