"""DeepZoom (DZI): the XML descriptor and the mapping of ``_files`` tiles to regions.

DeepZoom level 0 is a 1x1 image and level ``max_level`` the full resolution; each level
below halves the one above, rounded up (the same tiers as Cytomine's normalized pyramid).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from contracts.pyramid import TileOutOfRange
from tiling import levels, sources
from tiling.errors import InvalidImageRequest

TILE_SIZE = 256
OVERLAP = 0
_TILE_PATH = re.compile(r"^(\d+)/(\d+)_(\d+)\.(jpg|jpeg|png|webp)$")


class DzTile(NamedTuple):
    """A DeepZoom tile as a full-resolution box and the output size it is scaled to."""

    box: levels.Box
    out_width: int
    out_height: int


def max_level(width: int, height: int) -> int:
    """Index of the full-resolution DeepZoom level: ceil(log2(max(width, height)))."""
    return (max(width, height) - 1).bit_length()


def level_size(width: int, height: int, level: int) -> tuple[int, int]:
    """Size of a DeepZoom level; raises TileOutOfRange outside 0..max_level."""
    top = max_level(width, height)
    if not 0 <= level <= top:
        raise TileOutOfRange("DeepZoom level", level)
    return levels.tier_size(width, height, top - level)


def dzi_xml(width: int, height: int, fmt: str = "jpg", tile_size: int = TILE_SIZE) -> str:
    """The .dzi descriptor of an image."""
    sources.media_type(fmt)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" '
        f'Format="{fmt}" Overlap="{OVERLAP}" TileSize="{tile_size}">'
        f'<Size Width="{width}" Height="{height}"/></Image>'
    )


def parse_tile_path(text: str) -> tuple[int, int, int, str]:
    """(level, col, row, fmt) of ``{level}/{col}_{row}.{fmt}``; raises InvalidImageRequest."""
    found = _TILE_PATH.match(text)
    if found is None:
        raise InvalidImageRequest(f"Not a DeepZoom tile path: {text!r}")
    fmt = "jpg" if found[4] == "jpeg" else found[4]
    return int(found[1]), int(found[2]), int(found[3]), fmt


def tile_plan(
    width: int, height: int, level: int, col: int, row: int, tile_size: int = TILE_SIZE
) -> DzTile:
    """Full-resolution box and output size of a DeepZoom tile; TileOutOfRange outside."""
    lw, lh = level_size(width, height, level)
    if not (0 <= col * tile_size < lw and 0 <= row * tile_size < lh):
        raise TileOutOfRange("DeepZoom tile", f"{level}/{col}_{row}")
    x, y = col * tile_size, row * tile_size
    out_w, out_h = min(tile_size, lw - x), min(tile_size, lh - y)
    scale = 1 << (max_level(width, height) - level)
    left, top = x * scale, y * scale
    box = levels.Box(left, top, min(out_w * scale, width - left), min(out_h * scale, height - top))
    return DzTile(box, out_w, out_h)


def tile(path: str | Path, level: int, col: int, row: int, fmt: str = "jpg") -> tuple[bytes, str]:
    """Bytes of a DeepZoom tile: a stored tile when one matches, else a region."""
    pyr = sources.pyramid(path)
    plan = tile_plan(pyr.width, pyr.height, level, col, row)
    match = levels.tile_of_box(pyr.width, pyr.height, plan.box, plan.out_width, plan.out_height)
    if match is not None:
        return sources.tile(path, *match, fmt=fmt)
    return sources.region(
        path, plan.box, out_width=plan.out_width, out_height=plan.out_height, fmt=fmt
    )


__all__ = ["DzTile", "dzi_xml", "level_size", "max_level", "parse_tile_path", "tile", "tile_plan"]
