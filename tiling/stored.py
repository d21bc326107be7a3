"""Stored JPEG tiles read straight from the file: ``sources.tile``'s copy-through, made cheap.

Where ``sources.tile(path, zoom, tx, ty, "jpg")`` hands out the stored bytes (a tiled TIFF
read by large-image's tiff source whose levels are the 256-px normalized pyramid, stored as
JPEG), large-image still spends ~150 µs per tile in Python. This module reads the tile's
frame with one ``pread`` at an offset noted once per (path, mtime) and splices it with the
JPEG tables exactly as large-image's tiff reader does, in ~10 µs, so the server can do it
without a thread. Any case it does not recognise answers None: the caller falls back to
``sources.tile``. Tests compare every tile of several slides with large-image's bytes.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple

import tifffile

from tiling import levels, sources

SOI, EOI = b"\xff\xd8", b"\xff\xd9"
_SOF = (b"\xff\xc0", b"\xff\xc2")
_JPEG, _YCBCR = 7, 6
_TOPLEFT = 1
PLANS = 64
RECHECK_SECONDS = 1.0
"""How long a file's modification time is trusted before it is read again (``os.stat``)."""

_plans: OrderedDict[tuple[str, int], _Plan | None] = OrderedDict()
_checked: dict[str, tuple[float, int]] = {}
_lock = threading.Lock()


class _Level(NamedTuple):
    """Where one level's tiles are: offsets and sizes in tile order, and its JPEG tables."""

    offsets: tuple[int, ...]
    counts: tuple[int, ...]
    across: int
    tables: bytes


class _Plan(NamedTuple):
    """An open file and its levels by Cytomine zoom (None where large-image must decide)."""

    fd: int
    levels: tuple[_Level | None, ...]


def jpeg_tile(
    path: str | Path, zoom: int, tx: int, ty: int, *, prepare: bool = True
) -> bytes | None:
    """The bytes ``sources.tile(path, zoom, tx, ty, "jpg")`` returns, or None if unsure."""
    # With prepare=False a file seen for the first time answers None at once instead of
    # being opened and indexed (prepare(path) does that, in a thread).
    plan = _plan(path, prepare)
    if plan is None or not 0 <= zoom < len(plan.levels):
        return None
    level = plan.levels[zoom]
    if level is None or tx < 0 or ty < 0 or tx >= level.across:
        return None
    num = ty * level.across + tx
    if num >= len(level.offsets) or level.counts[num] <= 4:
        return None
    frame = os.pread(plan.fd, level.counts[num], level.offsets[num])
    return _splice(frame, level)


def _splice(frame: bytes, level: _Level) -> bytes | None:
    """SOI + tables + the frame from its start-of-frame marker + EOI (large-image's way)."""
    if frame[:2] != SOI or frame[-2:] != EOI:
        return None
    start = 2 if frame[2:4] in _SOF else frame.find(_SOF[0], 2, -2)
    if start == -1:
        start = frame.find(_SOF[1], 2, -2)
        if start == -1:
            return None
    # One copy of the frame (a concatenation would copy it once per ``+``).
    return b"".join((SOI, level.tables, memoryview(frame)[start:-2], EOI))


def prepare(path: str | Path) -> None:
    """Open and index a file now (slow: tifffile reads every level's tile offsets)."""
    _plan(path, True)


def _plan(path: str | Path, build: bool) -> _Plan | None:
    """The cached plan of a file (made on first use), None when it is not copy-through."""
    name = os.fspath(path)
    key = (name, _modified(name))
    with _lock:
        if key in _plans or not build:
            return _plans.get(key)
    try:
        plan = _make_plan(key[0])
    except Exception:  # noqa: BLE001 - an unexpected file layout: large-image serves it
        plan = None
    with _lock:
        _plans[key] = plan
        while len(_plans) > PLANS:
            old = _plans.popitem(last=False)[1]
            if old is not None:
                os.close(old.fd)
    return plan


def _modified(name: str) -> int:
    """The file's modification time, read at most once per ``RECHECK_SECONDS``: a file
    rewritten in place is seen within that time (the picture cache, keyed by the database's
    file version, would keep its old tiles anyway), and a tile costs no ``stat``."""
    now = time.monotonic()
    seen = _checked.get(name)
    if seen is not None and now - seen[0] < RECHECK_SECONDS:
        return seen[1]
    mtime = os.stat(name).st_mtime_ns  # noqa: PTH116 - no Path built per tile
    if len(_checked) > PLANS * 16:
        _checked.clear()
    _checked[name] = (now, mtime)
    return mtime


def _make_plan(path: str) -> _Plan | None:
    """Offsets and tables of every level, when large-image would copy every tile through."""
    src = sources.open_source(path)
    zooms = levels.zoom_count(src.sizeX, src.sizeY)
    native = src.tileWidth == levels.TILE == src.tileHeight and src.levels == zooms
    if getattr(src, "name", None) != "tiff" or not native or src.encoding != "JPEG":
        return None
    with tifffile.TiffFile(path) as tif:
        found = tuple(_level(tif, d) for d in src._tiffDirectories)
    return _Plan(os.open(path, os.O_RDONLY), found)


def _level(tif: tifffile.TiffFile, directory: Any) -> _Level | None:
    """One level's tile offsets and tables, or None unless it is a plain JPEG tiled level."""
    if directory is None or getattr(directory, "_completeJpeg", False):
        return None
    info = directory._tiffInfo
    plain = (
        info.get("istiled")
        and info.get("compression") == _JPEG
        and info.get("bitspersample") == 8
        and info.get("sampleformat") in (None, 1)
        and info.get("orientation") in (None, _TOPLEFT)
        # RGB frames get their component ids rewritten by large-image: left to it.
        and info.get("photometric") == _YCBCR
    )
    if not plain:
        return None
    page = tif.pages[directory._directoryNum]
    if directory._subDirectoryNum:
        page = page.pages[directory._subDirectoryNum - 1]
    return _Level(
        offsets=tuple(int(v) for v in page.dataoffsets),
        counts=tuple(int(v) for v in page.databytecounts),
        across=int(directory._tilesAcross),
        tables=bytes(directory._getJpegTables()),
    )


__all__ = ["jpeg_tile", "prepare"]
