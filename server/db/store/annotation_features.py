"""Cut a streamed GeoJSON body into features, batch by batch, without holding the body.

Two body shapes are read:
- NDJSON and GeoJSON text sequences (RFC 8142): one feature per line, an optional leading
  record separator (0x1E) per record, blank lines skipped;
- one GeoJSON FeatureCollection, or a bare JSON array of features (as QuPath writes without
  its FeatureCollection option): the members of the ``features`` array (or of the top-level
  array) are cut out by a scanner that tracks strings and nesting with numpy over each
  chunk, so only the partial feature at a chunk's end is carried over.
Each feature keeps its 1-based row number. Decoding is one msgspec call per batch; a batch
that fails is decoded again feature by feature so only the bad rows are rejected.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

import msgspec
import numpy as np

from contracts.errors import Invalid
from server.db.store.annotation_copy import BATCH_ROWS

BATCH = BATCH_ROWS
MAX_FEATURE = 64 << 20  # bytes: one feature larger than this is refused, not buffered
_OPEN = frozenset(b"{[")
_FEATURES_KEY = re.compile(rb'"features"\s*:\s*$')
# What the collection scanner looks at: bytes.translate marks quotes and brackets in one pass.
_OPENS, _CLOSES, _QUOTE = 1, 2, 3
_MARKS = bytes(
    _OPENS if c in b"{[" else _CLOSES if c in b"}]" else _QUOTE if c == 0x22 else 0
    for c in range(256)
)


class Classification(msgspec.Struct, kw_only=True, gc=False):
    """A QuPath classification: ``name`` (or ``names`` of a derived class) and its colour.

    QuPath 0.4 and later write ``color`` as ``[r, g, b]``; 0.2 and 0.3 wrote ``colorRGB`` as
    one packed integer.
    """

    name: str | None = None
    names: list[str] | None = None
    color: list[int] | None = None
    color_rgb: int | None = msgspec.field(default=None, name="colorRGB")

    def labels(self) -> list[str]:
        """The class names, each to be matched with a term."""
        if self.names:
            return list(self.names)
        return [self.name] if self.name else []

    def hex_color(self) -> str | None:
        """The colour as ``#rrggbb``, when one is given."""
        if self.color is not None and len(self.color) >= 3:
            r, g, b = (min(max(int(v), 0), 255) for v in self.color[:3])
        elif self.color_rgb is not None:
            packed = self.color_rgb
            r, g, b = (packed >> 16) & 255, (packed >> 8) & 255, packed & 255
        else:
            return None
        return f"#{r:02x}{g:02x}{b:02x}"


class Properties(msgspec.Struct, kw_only=True, gc=False):
    """Feature properties read on import (unknown keys ignored)."""

    term: list[int] | int | None = None
    terms: list[int] | None = None
    user: int | None = None
    slice: int | None = None
    classification: Classification | str | None = None  # a bare name from other tools

    def class_names(self) -> list[str]:
        """QuPath class names to match with terms (none without a classification)."""
        found = self.classification
        if isinstance(found, str):
            return [found] if found else []
        return found.labels() if found is not None else []

    def class_color(self) -> str | None:
        """The classification's colour as ``#rrggbb``, when it gives one."""
        found = self.classification
        return found.hex_color() if isinstance(found, Classification) else None

    def term_ids(self) -> list[int]:
        """The terms asked for, deduplicated and sorted."""
        chosen = self.term if self.term is not None else self.terms
        if chosen is None:
            return []
        return sorted({chosen} if isinstance(chosen, int) else set(chosen))


class Feature(msgspec.Struct, kw_only=True, gc=False):
    """One GeoJSON feature; the geometry stays raw JSON for the GEOS reader."""

    type: str = "Feature"
    geometry: msgspec.Raw = msgspec.Raw(b"null")
    properties: Properties | None = None


_BATCH = msgspec.json.Decoder(list[Feature])
_ONE = msgspec.json.Decoder(Feature)

Decoded = list[tuple[int, Feature | str]]  # (row number, feature or the reason it was refused)


def decode(rows: list[tuple[int, bytes]]) -> Decoded:
    """Decode a batch of (row number, feature JSON); a bad row gets its reason instead."""
    try:
        features = _BATCH.decode(b"[" + b",".join(raw for _, raw in rows) + b"]")
        return [(n, f) for (n, _), f in zip(rows, features, strict=True)]
    except msgspec.DecodeError:
        return [(n, _decode_one(raw)) for n, raw in rows]


def _decode_one(raw: bytes) -> Feature | str:
    try:
        return _ONE.decode(raw)
    except msgspec.DecodeError as exc:
        return f"not a GeoJSON feature: {exc}"


async def ndjson(chunks: AsyncIterable[bytes], batch: int = BATCH) -> AsyncIterator[Decoded]:
    """Batches of features from an NDJSON or GeoJSON-sequence stream."""
    tail = b""
    row = 0
    pending: list[tuple[int, bytes]] = []
    async for chunk in chunks:
        lines = (tail + chunk).split(b"\n")
        tail = _bounded(lines.pop())
        for line in lines:
            text = line.strip(b"\x1e \t\r")
            if text:
                row += 1
                pending.append((row, text))
        if len(pending) >= batch:
            yield decode(pending)
            pending = []
    text = tail.strip(b"\x1e \t\r")
    if text:
        pending.append((row + 1, text))
    if pending:
        yield decode(pending)


def _bounded(partial: bytes) -> bytes:
    """The unfinished feature carried to the next chunk, unless it is absurdly large."""
    if len(partial) > MAX_FEATURE:
        raise Invalid(f"Bad import body: a feature is larger than {MAX_FEATURE >> 20} MB")
    return partial


class _Scanner:
    """JSON structure state carried across chunks of one FeatureCollection."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.backslashes = 0  # backslashes ending the previous chunk
        self.in_features = False
        self.seen_features = False
        self.level = 2  # nesting depth of the features: 1 in a top-level array of features
        self.context = b""  # the end of the previous chunk, to find the "features" key

    def _escaped_quotes(self, data: np.ndarray[Any, Any], quotes: np.ndarray[Any, Any]) -> Any:
        """Which of ``quotes`` (offsets into ``data``) are escaped (inside a string)."""
        after_slash = np.flatnonzero(data[np.maximum(quotes - 1, 0)] == 0x5C)
        escaped = [k for k in after_slash.tolist() if quotes[k] and self._escaped(data, quotes[k])]
        if len(quotes) and quotes[0] == 0 and self.backslashes % 2:
            escaped.append(0)
        return escaped

    def _escaped(self, data: np.ndarray[Any, Any], q: int) -> bool:
        """Whether the quote at ``q`` follows an odd run of backslashes."""
        k = q
        while k > 0 and data[k - 1] == 0x5C:
            k -= 1
        run = q - k + (self.backslashes if k == 0 else 0)
        return run % 2 == 1

    def events(self, chunk: bytes) -> list[tuple[int, int]]:
        """(offset, kind) of feature starts (1) and ends (-1) found in this chunk."""
        data = np.frombuffer(chunk, dtype=np.uint8)
        # One pass over the bytes marks quotes and brackets (bytes.translate); a bracket is
        # inside a string when an odd number of real quotes precede it.
        marks = np.frombuffer(chunk.translate(_MARKS), dtype=np.uint8)
        found_at = np.flatnonzero(marks)
        kinds = marks[found_at]
        quote = kinds == _QUOTE
        quotes = np.flatnonzero(quote)
        if escaped := self._escaped_quotes(data, found_at[quotes]):
            quote[quotes[escaped]] = False
        parity = (np.cumsum(quote) + self.in_string) % 2
        self.in_string = bool(parity[-1]) if len(parity) else self.in_string
        keep = ~quote & (parity == 0)
        structural = found_at[keep]
        delta = np.where(kinds[keep] == _OPENS, 1, -1)
        run = len(chunk) - len(chunk.rstrip(b"\\"))
        self.backslashes = run + self.backslashes if run == len(chunk) else run
        after = self.depth + np.cumsum(delta)
        before = after - delta
        shallow = np.flatnonzero(np.minimum(before, after) <= 2)
        self.depth = int(after[-1]) if len(after) else self.depth
        found = self._features_only(data, structural[shallow], before[shallow], after[shallow])
        if found is None:
            found = []
            for k in shallow.tolist():
                self._event(chunk, int(structural[k]), int(before[k]), int(after[k]), found)
        self.context = (self.context + chunk[-64:])[-64:]
        return found

    def _features_only(
        self, data: np.ndarray[Any, Any], at: Any, before: Any, after: Any
    ) -> list[tuple[int, int]] | None:
        """The events at once when every one opens or closes a feature of the features array
        (the common chunk); None when any other needs ``_event``."""
        if not self.in_features:
            return None
        chars = data[at]
        opens = (chars == 0x7B) & (before == self.level)
        if not (opens | ((chars == 0x7D) & (after == self.level))).all():
            return None
        return list(zip(at.tolist(), np.where(opens, 1, -1).tolist(), strict=True))

    def _event(self, chunk: bytes, at: int, before: int, after: int, out: list[Any]) -> None:
        """Track the features array and the features opened and closed at its level."""
        char = chunk[at]
        if char == 0x5B and before == 0:
            self.in_features = self.seen_features = True  # a bare array of features (QuPath)
            self.level = 1
        elif char == 0x5B and before == 1 and self.level == 2:
            head = (self.context + chunk[:at]) if at < 64 else chunk[at - 64 : at]
            if _FEATURES_KEY.search(head):
                self.in_features = self.seen_features = True
        elif char == 0x5D and after == self.level - 1:
            self.in_features = False
        elif self.in_features and char == 0x7B and before == self.level:
            out.append((at, 1))
        elif self.in_features and char == 0x7D and after == self.level:
            out.append((at, -1))
        elif before == 0 and char not in _OPEN:
            raise Invalid("Bad import body: unbalanced JSON")


async def collection(chunks: AsyncIterable[bytes], batch: int = BATCH) -> AsyncIterator[Decoded]:
    """Batches of features from a streamed FeatureCollection or a JSON array of features."""
    scanner = _Scanner()
    carry = b""  # the feature still open at the end of the last chunk
    row = 0
    pending: list[tuple[int, bytes]] = []
    async for chunk in chunks:
        start = 0 if carry else None
        for at, kind in scanner.events(chunk):
            if kind == 1:
                start = at
            elif start is not None:
                row += 1
                pending.append((row, carry + chunk[start : at + 1]))
                carry, start = b"", None
        carry = _bounded(carry + chunk[start:]) if start is not None else b""
        if len(pending) >= batch:
            yield decode(pending)
            pending = []
    if not scanner.seen_features or scanner.depth != 0 or scanner.in_string:
        raise Invalid(
            "Bad import body: expected a complete GeoJSON FeatureCollection or array of features"
        )
    if pending:
        yield decode(pending)


__all__ = [
    "BATCH",
    "Classification",
    "Decoded",
    "Feature",
    "Properties",
    "collection",
    "decode",
    "ndjson",
]
