"""The bulk writers check a batch while the one before it is handed on to the COPY
(``annotation_copy.one_behind``), and still count, report and fail batch by batch in order."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from server.check_pool import check_pool
from server.db.store import annotation_copy as cp
from server.db.store import annotation_features as features
from server.db.store import annotation_import as importer
from server.db.store import user_annotations
from server.db.store.annotation_features import Decoded
from server.db.store.annotation_rows import AnnotationBody, ImageContext, Row
from tests.server.annotation_helpers import square as sq

pytestmark = [pytest.mark.anyio]

CTX = ImageContext(
    image_id=1, project_id=2, width=4000, height=4000, resolution=None, reference_slice_id=5
)
ROWS = 100  # per batch


class Side:
    """The loader's side connection: ids drawn in order, progress writes kept."""

    def __init__(self) -> None:
        self.next_id = 1000
        self.progress: list[tuple[int, int, int]] = []

    async def fetchval(self, _query: str, count: int) -> list[int]:
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        return ids

    async def execute(self, _query: str, _job: int, read: int, loaded: int, rejected: int,
                      *_: Any) -> None:  # fmt: skip
        self.progress.append((read, loaded, rejected))


def _where() -> importer.Target:
    return importer.Target(
        ctx=CTX, me=7, slices=frozenset({5}), terms={1}, names={}, users={7}, may_assign=False
    )


def _batch(first: int, bad: int | None = None) -> Decoded:
    """ROWS square features numbered from ``first``; row ``bad`` names a term not allowed."""
    rows = []
    for n in range(first, first + ROWS):
        x, y = n % 50 * 60, n // 50 * 60
        ring = [[x, y], [x + 30, y], [x + 30, y + 30], [x, y + 30], [x, y]]
        props = {"term": [99 if n == bad else 1]}
        feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                   "properties": props}  # fmt: skip
        rows.append((n, msgspec.json.encode(feature)))
    return features.decode(rows)


async def _source(*batches: Decoded) -> AsyncIterator[Decoded]:
    for batch in batches:
        yield batch


async def test_the_next_batch_is_checked_while_the_previous_one_is_handed_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    second_started = threading.Event()
    check = importer.check_batch

    def watched(batch: Decoded, where: importer.Target, ids: list[int]) -> importer.Checked:
        if batch[0][0] == 1:  # the first batch's check ends only once the second one's began
            assert second_started.wait(10), "the second batch was not checked meanwhile"
        else:
            second_started.set()
        return check(batch, where, ids)

    monkeypatch.setattr(importer, "check_batch", watched)
    side = Side()
    loader = importer.Loader(side, _where(), 1, False)  # type: ignore[arg-type]
    handed = [b async for b in loader.checked(_source(_batch(1), _batch(1 + ROWS, bad=150)))]
    assert len(handed) == 2 and all(annotations for annotations, *_ in handed)
    assert side.progress == [(ROWS, ROWS, 0), (2 * ROWS, 2 * ROWS - 1, 1)]
    assert (loader.read, loader.loaded, loader.rejected) == (2 * ROWS, 2 * ROWS - 1, 1)
    assert [e["row"] for e in loader.errors] == [150]
    assert loader.first_id == 1000


async def test_an_atomic_import_hands_on_nothing_after_a_rejected_row() -> None:
    side = Side()
    loader = importer.Loader(side, _where(), 1, True)  # type: ignore[arg-type]
    batches = (_batch(1, bad=50), _batch(1 + ROWS), _batch(1 + 2 * ROWS))
    handed = [b async for b in loader.checked(_source(*batches))]
    assert handed == []
    assert side.progress == [(ROWS, 0, 1), (2 * ROWS, 0, 1), (3 * ROWS, 0, 1)]


async def test_a_failed_check_reaches_the_load_after_the_batches_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = importer.check_batch

    def broken(batch: Decoded, where: importer.Target, ids: list[int]) -> importer.Checked:
        if batch[0][0] > ROWS:
            raise RuntimeError("the checker stopped")
        return check(batch, where, ids)

    monkeypatch.setattr(importer, "check_batch", broken)
    reported: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reported.append(context))
    try:
        side = Side()
        loader = importer.Loader(side, _where(), 1, False)  # type: ignore[arg-type]
        handed = loader.checked(_source(_batch(1), _batch(1 + ROWS), _batch(1 + 2 * ROWS)))
        assert await anext(handed)
        with pytest.raises(RuntimeError, match="checker stopped"):
            await anext(handed)
        assert side.progress == [(ROWS, ROWS, 0)]
        # The third batch's check, started meanwhile and failing too, is cancelled and its
        # outcome taken: no error is left for the event loop to report.
        await asyncio.sleep(0.2)
        gc.collect()
    finally:
        loop.set_exception_handler(handler)
    assert reported == []


async def test_one_behind_starts_the_next_future_before_it_awaits_the_previous() -> None:
    log: list[str] = []
    gates = [asyncio.Event() for _ in range(3)]

    async def work(k: int) -> int:
        log.append(f"start {k}")
        await gates[k].wait()
        return k

    async def started() -> AsyncIterator[asyncio.Future[int]]:
        for k in range(3):
            yield asyncio.ensure_future(work(k))

    results = cp.one_behind(started())
    waiting = asyncio.ensure_future(anext(results))
    await asyncio.sleep(0.01)
    assert log == ["start 0", "start 1"]  # the second runs while the first is awaited
    for gate in gates:
        gate.set()
    assert await waiting == 0
    assert [k async for k in results] == [1, 2]


async def test_one_behind_cancels_the_future_in_flight_when_the_consumer_stops() -> None:
    futures: list[asyncio.Future[int]] = []

    async def started() -> AsyncIterator[asyncio.Future[int]]:
        for k in range(3):
            futures.append(asyncio.ensure_future(asyncio.sleep(0.01 if k == 0 else 10, k)))
            yield futures[-1]

    results = cp.one_behind(started())
    assert await anext(results) == 0
    await results.aclose()
    await asyncio.sleep(0)
    assert [f.cancelled() for f in futures] == [False, True]


async def _array(checks: Any, bodies: list[AnnotationBody]) -> tuple[list[Any], dict[int, str]]:
    """The COPY tuples and rejections of an array's chunks, checked with ``checks``."""
    rows: list[Row | None] = [Row(image_id=1, slice_id=5, project_id=2, terms=[1]) for _ in bodies]
    ids = list(range(1000, 1000 + len(bodies))), list(range(5000, 5000 + len(bodies)))
    errors: dict[int, Any] = {}
    batches = []
    chunks = user_annotations._encoded(bodies, rows, {1: CTX}, ids, 7, errors, checks)
    try:
        async for batch in chunks:
            batches.append(batch)
    except user_annotations._Rejected:
        pass
    return batches, {k: e.message for k, e in errors.items()}


@pytest.mark.parametrize("bad", [None, 1030])
async def test_array_chunks_checked_in_a_process_a_thread_or_inline_give_the_same_tuples(
    bad: int | None,
) -> None:
    # Two full chunks and a short one (checked inline), the bad row in the second.
    bodies = [AnnotationBody(location=sq(k % 60 * 60, k // 60 * 60), image=1) for k in range(2050)]
    if bad is not None:
        bodies[bad].location = "POLYGON ((0 0, 1 1"
    async with check_pool(1) as pool:
        in_process = await _array(pool, bodies)
    in_threads = await _array(None, bodies)
    assert in_process == in_threads
    batches, errors = in_process
    if bad is None:
        assert len(batches) == 3 and errors == {}
    else:
        assert len(batches) == 1 and list(errors) == [bad]  # the first chunk was handed on
