"""Deterministic synthetic whole-slide images: tiled JPEG TIFF, Aperio SVS and OME-TIFF.

    python -m tiling.synthetic OUT.tiff --width W --height H [--format tiff|svs|ometiff]
                               [--seed N] [--quality Q]

Pixels are a pure function of (seed, full-resolution x, y, level), so every tile is computed
on its own and streamed to tifffile: memory stays at a few tiles whatever the size. The
texture looks like H&E tissue (pink stroma with purple nuclei on a light background, plus
noise), which gives JPEG tiles of about 10-25 KB at the default quality.
Small sizes (a few thousand pixels) take under a second and suit tests (written serially);
large ones are rendered by a process pool, one worker per core. A 60000x40000 slide for
benchmarks (9 levels, about 49k tiles, 885 MB) took 5 minutes on a busy 2-core machine:
``python -m tiling.synthetic bench.tiff --width 60000 --height 40000``.
"""

from __future__ import annotations

import argparse
import io
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import tifffile
from PIL import Image

from contracts.pyramid import ceil_div
from tiling.levels import TILE, tier_size, zoom_count

FORMATS = ("tiff", "svs", "ometiff")
MPP = 0.25
APP_MAG = 40
_BACKGROUND = np.array([242.0, 238.0, 244.0])
_STROMA = np.array([226.0, 140.0, 186.0])
_DENSE = np.array([190.0, 90.0, 160.0])
_NUCLEUS = np.array([92.0, 58.0, 140.0])
_CELL = 24  # full-resolution pixels per nucleus cell
_MASK32 = np.uint64(0xFFFFFFFF)


def _hash(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """Uniform floats in [0, 1) from integer lattice coordinates (a small integer hash)."""
    hx = ix.astype(np.uint64) * np.uint64(0x9E3779B1)
    h = hx ^ (iy.astype(np.uint64) * np.uint64(0x85EBCA77))
    h = (h ^ np.uint64(seed * 0xC2B2AE3D + 0x27D4EB2F)) & _MASK32
    h = ((h ^ (h >> np.uint64(15))) * np.uint64(0x2C1B3C6D)) & _MASK32
    h = ((h ^ (h >> np.uint64(12))) * np.uint64(0x297A2D39)) & _MASK32
    h ^= h >> np.uint64(15)
    out: np.ndarray = (h & np.uint64(0xFFFFFF)).astype(np.float32) / np.float32(1 << 24)
    return out


def _lattice(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """Hash values on the small lattice spanning sorted columns ix and rows iy (plus one)."""
    gx = np.arange(ix[0], ix[-1] + 2)
    gy = np.arange(iy[0], iy[-1] + 2)
    return _hash(gx[None, :], gy[:, None], seed)


def _value_noise(xs: np.ndarray, ys: np.ndarray, spacing: float, seed: int) -> np.ndarray:
    """Smooth noise in [0, 1) on a lattice of ``spacing`` pixels (xs columns, ys rows)."""
    fx, fy = xs / np.float32(spacing), ys / np.float32(spacing)
    ix, iy = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    tx, ty = fx - ix, fy - iy
    tx, ty = tx * tx * (3 - 2 * tx), ty * ty * (3 - 2 * ty)
    grid = _lattice(ix, iy, seed)
    cols = ix - ix[0]
    rows = grid[:, cols] * (1 - tx) + grid[:, cols + 1] * tx  # along x on lattice rows only
    lines = iy - iy[0]
    out: np.ndarray = rows[lines] * (1 - ty)[:, None] + rows[lines + 1] * ty[:, None]
    return out.astype(np.float32, copy=False)


def _nuclei(xs: np.ndarray, ys: np.ndarray, stride: int, seed: int) -> np.ndarray:
    """Nucleus coverage in [0, 1]: one disc per cell, averaged out when cells get sub-pixel."""
    mean = np.float32(np.pi * 20.0 / (_CELL * _CELL))
    blend = np.float32(min(1.0, np.log2(stride) / np.log2(_CELL)))
    if blend >= 1:
        return np.full((ys.size, xs.size), mean, np.float32)
    cx, cy = xs // _CELL, ys // _CELL
    at = np.ix_(cy - cy[0], cx - cx[0])
    ox = (cx * _CELL + 6)[None, :] + _lattice(cx, cy, seed + 7)[at] * (_CELL - 12)
    oy = (cy * _CELL + 6)[:, None] + _lattice(cx, cy, seed + 11)[at] * (_CELL - 12)
    radius = 3.0 + 3.0 * _lattice(cx, cy, seed + 13)[at]
    dist = np.sqrt((xs[None, :] - ox) ** 2 + (ys[:, None] - oy) ** 2)
    soft = np.float32(max(1.0, stride / 2))
    disc = np.clip((radius - dist) / soft + 0.5, 0.0, 1.0)
    out: np.ndarray = disc * (1 - blend) + mean * blend
    return out.astype(np.float32, copy=False)


def render(seed: int, left: int, top: int, stride: int, size: int = TILE) -> np.ndarray:
    """RGB uint8 tile whose pixel (i, j) samples full-resolution (left + j*s, top + i*s)."""
    xi = left + np.arange(size, dtype=np.int64) * stride
    yi = top + np.arange(size, dtype=np.int64) * stride
    xs, ys = xi.astype(np.float32), yi.astype(np.float32)
    shape = _value_noise(xs, ys, 6000.0, seed) * 0.7 + _value_noise(xs, ys, 1500.0, seed + 1) * 0.3
    tissue = np.clip((shape - 0.45) * 25.0, 0.0, 1.0)
    density = _value_noise(xs, ys, 300.0, seed + 2)
    cells = np.clip(_nuclei(xi, yi, stride, seed) * (0.3 + density), 0.0, 1.0)
    rng = np.random.default_rng([seed, left, top, stride])
    grain = (rng.random((size, size), dtype=np.float32) - 0.5) * (16.0 + 16.0 * tissue)
    out = np.empty((size, size, 3), np.uint8)
    for ch in range(3):
        stroma = _STROMA[ch] + (_DENSE[ch] - _STROMA[ch]) * density
        colour = stroma + (_NUCLEUS[ch] - stroma) * cells
        pixels = _BACKGROUND[ch] + (colour - _BACKGROUND[ch]) * tissue + grain
        out[..., ch] = np.clip(pixels, 0, 255)
    return out


def level_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """Sizes of the stored levels: full size halved (rounded up) down to one tile."""
    return [tier_size(width, height, tier) for tier in range(zoom_count(width, height))]


def small_image(seed: int, width: int, height: int, limit: int) -> np.ndarray:
    """A whole-image picture at most ``limit`` pixels wide or high (thumbnail, macro)."""
    stride = max(1, -(-max(width, height) // limit))
    side = -(-max(width, height) // stride)
    full = render(seed, 0, 0, stride, side)
    return full[: -(-height // stride), : -(-width // stride)]


def label_image(seed: int) -> np.ndarray:
    """A slide label: white card with a dark bar code like block pattern."""
    label = np.full((300, 300, 3), 250, np.uint8)
    bars = _hash(np.arange(40)[None, :], np.zeros((1, 1), np.int64), seed)[0] > 0.5
    for i, on in enumerate(bars):
        if on:
            label[40:140, 50 + i * 5 : 53 + i * 5] = 20
    return label


def _render_jpeg(seed: int, left: int, top: int, stride: int, quality: int) -> bytes:
    """One tile as a complete baseline JPEG (YCbCr 4:2:0, standard Huffman tables)."""
    out = io.BytesIO()
    image = Image.fromarray(render(seed, left, top, stride))
    image.save(out, "JPEG", quality=quality, subsampling=2, optimize=False)
    return out.getvalue()


def split_jpeg(data: bytes) -> tuple[bytes, bytes]:
    """Split a JPEG into (tables, abbreviated frame) as TIFF stores them.

    The tables (DQT and DHT segments) go once in the JPEGTables tag; each tile keeps its
    frame header and scan. Every tile encoded at one quality has the same tables.
    """
    tables, frame, pos = [b"\xff\xd8"], [b"\xff\xd8"], 2
    while data[pos + 1] != 0xDA:  # up to the start of scan
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if data[pos + 1] in (0xDB, 0xC4):
            tables.append(segment)
        elif data[pos + 1] != 0xE0:  # drop JFIF APP0: the TIFF tags describe the image
            frame.append(segment)
        pos += 2 + length
    tables.append(b"\xff\xd9")
    frame.append(data[pos:])
    return b"".join(tables), b"".join(frame)


def _encode_chunk(
    seed: int, stride: int, quality: int, coords: list[tuple[int, int]]
) -> list[bytes]:
    """Abbreviated JPEG tiles for a list of (tx, ty) of one level (runs in a worker process)."""
    span = TILE * stride
    return [
        split_jpeg(_render_jpeg(seed, tx * span, ty * span, stride, quality))[1]
        for tx, ty in coords
    ]


def _encoded_tiles(
    seed: int, width: int, height: int, level: int, quality: int, pool: Executor | None
) -> Iterator[bytes]:
    """Abbreviated JPEG tiles of one level in row-major order, a bounded window at a time."""
    stride = 1 << level
    w, h = level_sizes(width, height)[level]
    coords = [(tx, ty) for ty in range(ceil_div(h, TILE)) for tx in range(ceil_div(w, TILE))]
    chunks = [coords[i : i + 128] for i in range(0, len(coords), 128)]
    if pool is None:
        for chunk in chunks:
            yield from _encode_chunk(seed, stride, quality, chunk)
        return
    pending: deque[Future[list[bytes]]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(_encode_chunk, seed, stride, quality, chunk))
        if len(pending) > 8:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def jpeg_tables(quality: int) -> bytes:
    """The JPEGTables shared by all tiles encoded at ``quality``."""
    return split_jpeg(_render_jpeg(0, 0, 0, 1, quality))[0]


def _aperio(width: int, height: int, tail: str, quality: int) -> str:
    """An Aperio ImageDescription: library banner, geometry line, then |key = value| fields."""
    fields = f"AppMag = {APP_MAG}|MPP = {MPP}|ScanScope ID = SYNTHETIC|Filename = synthetic"
    head = f"Aperio Image Library v12.0.16\r\n{width}x{height} "
    return f"{head}{tail} JPEG/RGB Q={quality}|{fields}"


def write(
    path: Path, width: int, height: int, fmt: str = "tiff", seed: int = 0, quality: int = 85
) -> None:
    """Write a synthetic pyramidal slide in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    bigtiff = width * height > 1_500_000_000
    workers = min(8, os.cpu_count() or 1)
    parallel = workers > 1 and width * height > 50_000_000
    opts: dict[str, Any] = {
        "tile": (TILE, TILE),
        "compression": "jpeg",
        "photometric": "ycbcr",
        "subsampling": (2, 2),
        "jpegtables": jpeg_tables(quality),
        "dtype": np.uint8,
    }
    sizes = level_sizes(width, height)
    with ExitStack() as stack:
        tif = stack.enter_context(tifffile.TiffWriter(path, bigtiff=bigtiff, ome=fmt == "ometiff"))
        pool = stack.enter_context(ProcessPoolExecutor(workers)) if parallel else None
        for level, (w, h) in enumerate(sizes):
            data = _encoded_tiles(seed, width, height, level, quality, pool)
            extra = _level_options(fmt, level, len(sizes), width, height, w, quality)
            tif.write(data, shape=(h, w, 3), **opts, **extra)
            if fmt == "svs" and level == 0:
                _write_stripped(tif, small_image(seed, width, height, 768), "->", width, height)
        if fmt == "svs":
            _write_stripped(tif, label_image(seed), "label", width, height)
            _write_stripped(tif, small_image(seed + 1, width, height, 1024), "macro", width, height)


def _level_options(
    fmt: str, level: int, levels: int, width: int, height: int, w: int, quality: int
) -> dict[str, Any]:
    """tifffile options of one level: description, subfile type, OME metadata and SubIFDs."""
    scale = width / w
    resolution = (1e4 / (MPP * scale), 1e4 / (MPP * scale))
    opts: dict[str, Any] = {"subfiletype": 1 if level else 0, "metadata": None}
    opts |= {"resolution": resolution, "resolutionunit": "CENTIMETER"}
    if fmt == "svs":
        tail = f"[0,0 {width}x{height}] ({TILE}x{TILE})"
        if level:
            tail += f" -> {w}x{-(-height * w // width)}"
        opts["description"] = _aperio(width, height, tail, quality)
    elif fmt == "ometiff" and level == 0:
        opts["subifds"] = levels - 1
        opts["metadata"] = {"axes": "YXS", "PhysicalSizeX": MPP, "PhysicalSizeY": MPP}
        opts["metadata"] |= {"PhysicalSizeXUnit": "µm", "PhysicalSizeYUnit": "µm"}
    elif fmt == "ometiff":
        opts.pop("metadata")
    return opts


def _write_stripped(tif: tifffile.TiffWriter, image: np.ndarray, kind: str, w: int, h: int) -> None:
    """Write an Aperio associated image (thumbnail, label or macro) as a stripped page."""
    ih, iw = image.shape[:2]
    if kind == "->":
        text = f"Aperio Image Library v12.0.16\r\n{w}x{h} -> {iw}x{ih} - |AppMag = {APP_MAG}"
    else:
        text = f"Aperio Image Library v12.0.16\r\n{kind} {iw}x{ih}"
    compression = "jpeg" if kind == "->" else "lzw"
    tif.write(
        image,
        photometric="rgb",
        compression=compression,
        description=text,
        metadata=None,
        subfiletype={"label": 1, "macro": 9}.get(kind, 0),
        rowsperstrip=16,
    )


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tiling.synthetic", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--format", choices=FORMATS, default="tiff")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quality", type=int, default=85)
    args = parser.parse_args(argv)
    write(args.out, args.width, args.height, args.format, args.seed, args.quality)


if __name__ == "__main__":
    main()
