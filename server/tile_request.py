"""What a picture answer is about: a typed normalized tile, or the values of any other picture.

The picture pipeline (``server.picture_core``) reads the shape to compute the ETag and to know
when a stored JPEG tile can be copied through; the fast path (``server.fast_tiles``) builds
tiles from their URL and replays other shapes the handlers noted.
"""

from __future__ import annotations

import msgspec


class TileRequest(msgspec.Struct, frozen=True, gc=False):
    """One normalized tile (zoom 0 = coarsest) and what shapes its bytes.

    ``plane``, ``mix`` and ``filters`` are the ETag parameters of a plane other than the
    first, of a channel blend and of an image filter; each is empty when not asked for.
    """

    zoom: int
    tx: int
    ty: int
    fmt: str
    plane: tuple[object, ...] = ()
    mix: tuple[object, ...] = ()
    filters: tuple[object, ...] = ()

    def etag_params(self) -> tuple[object, ...]:
        """The values of the tile's ETag (unchanged since tiles were first tagged)."""
        return (
            "tile",
            self.zoom,
            self.tx,
            self.ty,
            self.fmt,
            *self.plane,
            *self.mix,
            *self.filters,
        )

    @property
    def copy_through(self) -> bool:
        """True when a stored JPEG tile of the file is the answer as it is (no decode)."""
        return self.fmt == "jpg" and not (self.plane or self.mix or self.filters)


Shape = TileRequest | tuple[object, ...]
"""What a picture answer is about: a tile, or the values that shape any other picture."""


def params_of(shape: Shape) -> tuple[object, ...]:
    """The ETag parameters of a picture."""
    return shape.etag_params() if isinstance(shape, TileRequest) else shape


__all__ = ["Shape", "TileRequest", "params_of"]
