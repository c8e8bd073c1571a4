"""The layout of a posting block: arrays as bytes instead of Whoosh's tuples of numbers.

Whoosh's W3 codec pickles each block of up to 128 postings as three tuples (id deltas,
weights, one bytes object per posting for positions); unpickling them was the largest
cost of a query that reads many postings (120 µs a block). Here the same data is pickled
as a few bytes objects, decoded in C by `array`: the gaps between a block's docnums
(uint32), weights (float32) or None when all are 1.0, and positions as one blob plus the
length of each posting's part. The block headers, term infos and files are Whoosh's own.
The block's data holds no docnum itself (the first one follows from the last, which the
block header holds): a merge moves a block to other docnums by rewriting its header only.
"""

from __future__ import annotations

import operator
from array import array
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter


def encode_ids(ids: Any) -> bytes:
    """Docnums (increasing) as the uint32 gaps between them (the last is in the block header)."""
    return array("I", map(operator.sub, ids[1:], ids)).tobytes()


def encode_weights(weights: array[float]) -> bytes | None:
    """float32 weights; None when all are 1.0."""
    return None if weights.count(1.0) == len(weights) else weights.tobytes()


def encode_values(values: Any) -> list[bytes]:
    """Variable-size values: their lengths (uint32) and the values joined. A list, where
    Whoosh writes a tuple: the two layouts never read alike."""
    return [array("I", map(len, values)).tobytes(), b"".join(values)]


class BlockWriter(W3PostingsWriter):  # type: ignore[misc]  # Whoosh ships no types
    """W3PostingsWriter writing the array layout (segment.py's FastWriter writes it too)."""

    def _mini_ids(self) -> Any:
        if self._byteids or not self._ids:
            return super()._mini_ids()
        return encode_ids(self._ids)

    def _mini_weights(self) -> Any:
        return encode_weights(self._weights)

    def _mini_values(self) -> Any:
        fixed = self._format.fixed_value_size()
        if fixed is not None and fixed >= 0:
            return super()._mini_values()
        return encode_values(self._values)


def decode_ids(data: Any, last: int) -> list[int]:
    """Docnums of a block from its gaps and its last docnum (or Whoosh's tuple of deltas)."""
    if not isinstance(data, bytes):
        return list(accumulate(data))
    gaps = array("I", data)
    return list(accumulate(gaps, initial=last - sum(gaps)))


def decode_weights(data: Any, count: int) -> list[float]:
    """Weights of a block: None means all 1.0, a float means all equal."""
    if data is None:
        return [1.0] * count
    if isinstance(data, float):
        return [data] * count
    return array("f", data).tolist() if isinstance(data, bytes) else list(data)


def decode_values(data: Any) -> list[bytes]:
    """Per-posting values (encoded positions) of a block."""
    if not isinstance(data, list):
        return list(data)
    lengths, blob = value_parts(data)
    return [blob[end - size:end] for end, size in zip(accumulate(lengths), lengths)]


def value_parts(data: Any) -> tuple[array[int], bytes]:
    """(length of each posting's value, all values joined) of a block, without splitting."""
    if isinstance(data, list):
        return array("I", data[0]), data[1]
    return array("I", map(len, data)), b"".join(data)


class BlockMatcher(W3LeafMatcher):  # type: ignore[misc]  # Whoosh ships no types
    """W3LeafMatcher reading the array layout (Whoosh's own matchers still work)."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0] if self._byteids else tuple(decode_ids(self._data[0], self._maxid))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = array("f", decode_weights(self._data[1], self._blocklength))

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        fixed = self._fixedsize
        if fixed is not None and fixed >= 0:
            super()._read_values()
        else:
            self._values = tuple(decode_values(self._data[2]))
