"""The import loader checks a batch while the one before it is handed on to the COPY, and
still counts, reports and fails batch by batch in order."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from server.db.store import annotation_features as features
from server.db.store import annotation_import as importer
from server.db.store.annotation_features import Decoded
from server.db.store.annotation_rows import ImageContext

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
