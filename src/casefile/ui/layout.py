"""A rendered `Document` -> wrapped screen lines, as offsets into block text; no Textual.

Lines are (block, start, end) ranges, so painting one line slices its block's text
and only the lines on screen are ever styled.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import MutableSequence, Sequence
from itertools import accumulate, count, repeat
from operator import add, sub
from typing import NamedTuple, overload

from rich.cells import cell_len, get_character_cell_size

from casefile.ui.render_model import Document, Span

_TOKEN = re.compile(r"\S+\s*|\s+")
MIN_WIDTH = 8
_NO_WORD_WRAP = frozenset({"code", "table"})


class Line(NamedTuple):
    """One screen line: block text [start, end), and whether it is the block's first."""

    block: int
    start: int
    end: int
    first: bool


class Lines(Sequence[Line]):
    """The screen lines of a layout, kept in int arrays: no object per line.

    300,000 plain lines as 300,000 tuples cost 0.4-2 s of garbage collection in the app
    (every collection walks them); a `Line` is made only for a line that is asked for.
    """

    def __init__(self) -> None:
        self.blocks = array("l")
        self.starts = array("l")
        self.ends = array("l")
        self.range_of: dict[int, tuple[int, int]] = {}
        """The [first, end) line numbers of each shown block."""

    def add(self, block: int, starts: Sequence[int], ends: Sequence[int]) -> None:
        """Append the lines of one block (its ranges in order)."""
        first = len(self.blocks)
        self.range_of[block] = first, first + len(starts)
        self.blocks.extend(repeat(block, len(starts)))
        self.starts.extend(starts)
        self.ends.extend(ends)

    def __len__(self) -> int:
        return len(self.blocks)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        number = range(len(self.blocks))[index]  # negative indexes, IndexError
        block = self.blocks[number]
        return Line(block, self.starts[number], self.ends[number], self.range_of[block][0] == number)

    def line_at(self, block: int, offset: int) -> int | None:
        """The line of `block` showing `offset` (its last line starting at or before it), or None."""
        if block not in self.range_of:
            return None
        first, end = self.range_of[block]
        return max(first, bisect.bisect_right(self.starts, offset, first, end) - 1)

    def spans_by_line(self, block: int, spans: Sequence[Span]) -> dict[int, list[Span]]:
        """The spans of a block on each of its lines, in the block's order (found by bisection)."""
        by_line: dict[int, list[Span]] = {}
        first, end = self.range_of.get(block, (0, 0))
        for span in spans:
            number = max(first, bisect.bisect_right(self.starts, span.start, first, end) - 1)
            while number < end and self.starts[number] < span.end:
                if span.start < self.ends[number] and span.end > self.starts[number]:
                    by_line.setdefault(number, []).append(span)
                number += 1
        return by_line


def layout(doc: Document, width: int) -> Lines:
    """Wrap every block of `doc` to `width` cells (prefixes included)."""
    lines = Lines()
    for number, block in enumerate(doc.blocks):
        if not shown_at(block.fits, width):
            continue
        available = max(MIN_WIDTH, width - max(cell_len(block.first_prefix), cell_len(block.rest_prefix)))
        if block.kind in ("blank", "rule") or not block.text:
            lines.add(number, [0], [0])
            continue
        lines.add(number, *_ranges(block.text, available, words=block.kind not in _NO_WORD_WRAP))
    return lines


def shown_at(fits: int, width: int) -> bool:
    """Whether a block with this `fits` value is shown at `width` (tables have two forms)."""
    return fits == 0 or (width >= fits if fits > 0 else width < -fits)


def wrap(text: str, width: int, *, words: bool = True) -> list[tuple[int, int]]:
    """Split `text` into ranges of at most `width` cells; newlines always break."""
    return list(zip(*_ranges(text, width, words=words)))


Ranges = tuple[MutableSequence[int], MutableSequence[int]]
"""The starts and the ends of consecutive ranges (lists or arrays of ints: no tuple per line)."""


def _ranges(text: str, width: int, *, words: bool) -> Ranges:
    """`wrap`'s ranges as two lists; a body of short ASCII lines costs no Python per line."""
    if text.isascii():  # the lines' lengths alone: 1,000,000 short lines are not kept as strings
        lengths = list(map(len, text.split("\n")))
        if max(lengths) <= width:
            ends = array("l", map(add, accumulate(lengths), count()))  # lengths and line breaks before
            return array("l", map(sub, ends, lengths)), ends
    parts = text.split("\n")
    lengths = list(map(len, parts))
    starts = list(map(sub, map(add, accumulate(lengths), count()), lengths))
    out: Ranges = ([], [])
    for part, base in zip(parts, starts):
        if _width(part) <= width:
            out[0].append(base)
            out[1].append(base + len(part))
        elif words:
            _wrap_words(part, base, width, out)
        else:
            last = _fold(part, base, 0, len(part), width, out)
            out[0].append(base + last)
            out[1].append(base + len(part))
    return out


def _width(text: str) -> int:
    """Cell width, with a fast path for ASCII."""
    return len(text) if text.isascii() else cell_len(text)


def _wrap_words(part: str, base: int, width: int, out: Ranges) -> None:
    """Greedy word wrap of one line; words wider than the line are folded."""
    start = 0
    column = 0
    for match in _TOKEN.finditer(part):
        word = match.group().rstrip()
        cells = _width(word)
        if column and column + cells > width:
            out[0].append(base + start)
            out[1].append(base + match.start())
            start, column = match.start(), 0
        if cells > width:
            start = _fold(part, base, start, match.start() + len(word), width, out)
            column = _width(part[start:match.end()])
            continue
        column += _width(match.group())
    out[0].append(base + start)
    out[1].append(base + len(part))


def _fold(part: str, base: int, start: int, end: int, width: int, out: Ranges) -> int:
    """Cut part[start:end] into full-width pieces; return where the last, partial one starts."""
    if part.isascii():  # one cell a character: the cuts are every `width` characters
        cuts = range(start + width, end, width)
        out[0].extend(range(base + start, base + end - width, width))
        out[1].extend(range(base + start + width, base + end, width))
        return cuts[-1] if cuts else start
    column = 0
    for index in range(start, end):
        size = get_character_cell_size(part[index])
        if column + size > width:
            out[0].append(base + start)
            out[1].append(base + index)
            start, column = index, 0
        column += size
    return start


def first_lines(lines: Lines, blocks: int) -> list[int]:
    """For each block, its first screen line; a hidden block gets the next shown one's."""
    first: list[int | None] = [lines.range_of[block][0] if block in lines.range_of else None
                               for block in range(blocks)]
    following = max(0, len(lines) - 1)
    for block in range(blocks - 1, -1, -1):
        start = first[block]
        if start is None:
            start = first[block] = following
        following = start
    return [number or 0 for number in first]


class LinkIndex:
    """Which screen lines show which links, for Tab navigation; built on first use."""

    def __init__(self, doc: Document, lines: Lines) -> None:
        self.doc = doc
        self.lines = lines
        self._rows: list[tuple[int, list[int]]] | None = None

    @property
    def rows(self) -> list[tuple[int, list[int]]]:
        """(line number, links on it) for every line showing a link (only blocks with links are read)."""
        if self._rows is None:
            self._rows = []
            for number, block in enumerate(self.doc.blocks):
                linked = [span for span in block.spans if span.link is not None]
                if linked and number in self.lines.range_of:
                    by_line = self.lines.spans_by_line(number, linked)
                    self._rows += [(line, [span.link for span in spans if span.link is not None])
                                   for line, spans in sorted(by_line.items())]
        return self._rows

    def order(self) -> list[int]:
        """Every shown link in reading order (a link wrapped over two lines counts once)."""
        return list(dict.fromkeys(link for _number, links in self.rows for link in links))

    def line_of(self, link: int) -> int | None:
        """The first line showing `link`."""
        return next((number for number, links in self.rows if link in links), None)

    def step(self, current: int | None, step: int, top: int) -> int | None:
        """The link after (or before) `current`; from the view's top when none; None past the ends."""
        order = self.order()
        if current in order:
            position = order.index(current) + step
        elif step > 0:
            below = [link for number, links in self.rows if number >= top for link in links]
            position = order.index(below[0]) if below else len(order)
        else:
            position = len(order) - 1
        return order[position] if 0 <= position < len(order) else None
