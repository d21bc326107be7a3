"""Cytomine's normalized image pyramid, the one definition tiling and spatial both use.

The pyramid is made of 256-px tiles. Tier 0 is the full resolution and each next tier halves
the previous one, rounded up, until the image fits one tile. Cytomine numbers *zooms* the other
way: zoom 0 is the coarsest tier and zoom ``zooms - 1`` the full resolution. Tile rows count
from the top. Zooms and tile positions are part of the HTTP API (``zoom``, ``tx``/``ty``,
vector-tile ``z/x/y``), which is why this pure arithmetic lives beside the wire types.
"""

from __future__ import annotations

from contracts.errors import NotFound

TILE = 256


class TileOutOfRange(NotFound):
    """A tile, zoom or level outside the image pyramid (404)."""

    def __init__(self, what: str, value: object) -> None:
        super().__init__(what, value)


def ceil_div(a: int, b: int) -> int:
    """Integer division rounded up."""
    return -(-a // b)


def zoom_count(width: int, height: int, tile: int = TILE) -> int:
    """Number of tiers of the normalized pyramid; ImageInstance ``zoom`` is this minus one.

    The Web UI builds its grid with resolutions ``2^zoom … 1``, so the API's ``zoom`` field
    is the index of the full-resolution tier, not the count of tiers.
    """
    count, w, h = 1, width, height
    while w > tile or h > tile:
        w, h, count = ceil_div(w, 2), ceil_div(h, 2), count + 1
    return count


def tier_of_zoom(zoom: int, zooms: int) -> int:
    """Tier (0 = full resolution) of a Cytomine zoom; raises TileOutOfRange outside."""
    if not 0 <= zoom < zooms:
        raise TileOutOfRange("Zoom", zoom)
    return zooms - 1 - zoom


def tier_size(width: int, height: int, tier: int) -> tuple[int, int]:
    """Size in pixels of a tier: the full size halved ``tier`` times, rounded up."""
    scale = 1 << tier
    return ceil_div(width, scale), ceil_div(height, scale)


def tiles_across(width: int, height: int, zoom: int, zooms: int) -> tuple[int, int]:
    """Tiles (across, down) of a Cytomine zoom."""
    w, h = tier_size(width, height, tier_of_zoom(zoom, zooms))
    return ceil_div(w, TILE), ceil_div(h, TILE)


def tile_span(zoom: int, zooms: int) -> int:
    """Full-resolution pixels one side of a tile of a Cytomine zoom covers (before clipping)."""
    return TILE << tier_of_zoom(zoom, zooms)


def check_tile(width: int, height: int, zoom: int, zooms: int, tx: int, ty: int) -> None:
    """Raise TileOutOfRange unless (zoom, tx, ty) is a tile of the image."""
    across, down = tiles_across(width, height, zoom, zooms)
    if not (0 <= tx < across and 0 <= ty < down):
        raise TileOutOfRange("Tile", f"{zoom}/{tx}/{ty}")


__all__ = [
    "TILE",
    "TileOutOfRange",
    "ceil_div",
    "check_tile",
    "tier_of_zoom",
    "tier_size",
    "tile_span",
    "tiles_across",
    "zoom_count",
]
