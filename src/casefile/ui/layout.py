"""A rendered `Document` -> wrapped screen lines, as offsets into block text; no Textual.

Lines are (block, start, end) ranges, so painting one line slices its block's text
and only the lines on screen are ever styled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

from casefile.ui.render_model import Document

_TOKEN = re.compile(r"\S+\s*|\s+")
MIN_WIDTH = 8
_NO_WORD_WRAP = frozenset({"code", "table"})


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: block text [start, end), and whether it is the block's first."""

    block: int
    start: int
    end: int
    first: bool


def layout(doc: Document, width: int) -> list[Line]:
    """Wrap every block of `doc` to `width` cells (prefixes included)."""
    lines: list[Line] = []
    for number, block in enumerate(doc.blocks):
        if not shown_at(block.fits, width):
            continue
        available = max(MIN_WIDTH, width - max(cell_len(block.first_prefix), cell_len(block.rest_prefix)))
        if block.kind in ("blank", "rule") or not block.text:
            lines.append(Line(number, 0, 0, True))
            continue
        ranges = wrap(block.text, available, words=block.kind not in _NO_WORD_WRAP)
        lines.extend(Line(number, start, end, index == 0) for index, (start, end) in enumerate(ranges))
    return lines


def shown_at(fits: int, width: int) -> bool:
    """Whether a block with this `fits` value is shown at `width` (tables have two forms)."""
    return fits == 0 or (width >= fits if fits > 0 else width < -fits)


def wrap(text: str, width: int, *, words: bool = True) -> list[tuple[int, int]]:
    """Split `text` into ranges of at most `width` cells; newlines always break."""
    ranges: list[tuple[int, int]] = []
    base = 0
    for part in text.split("\n"):
        if _width(part) <= width:
            ranges.append((base, base + len(part)))
        elif words:
            _wrap_words(part, base, width, ranges)
        else:
            last = _fold(part, base, 0, len(part), width, ranges)
            ranges.append((base + last, base + len(part)))
        base += len(part) + 1
    return ranges


def _width(text: str) -> int:
    """Cell width, with a fast path for ASCII."""
    return len(text) if text.isascii() else cell_len(text)


def _wrap_words(part: str, base: int, width: int, out: list[tuple[int, int]]) -> None:
    """Greedy word wrap of one line; words wider than the line are folded."""
    start = 0
    column = 0
    for match in _TOKEN.finditer(part):
        word = match.group().rstrip()
        cells = _width(word)
        if column and column + cells > width:
            out.append((base + start, base + match.start()))
            start, column = match.start(), 0
        if cells > width:
            start = _fold(part, base, start, match.start() + len(word), width, out)
            column = _width(part[start:match.end()])
            continue
        column += _width(match.group())
    out.append((base + start, base + len(part)))


def _fold(part: str, base: int, start: int, end: int, width: int,
          out: list[tuple[int, int]]) -> int:
    """Cut part[start:end] into full-width pieces; return where the last, partial one starts."""
    column = 0
    for index in range(start, end):
        size = get_character_cell_size(part[index])
        if column + size > width:
            out.append((base + start, base + index))
            start, column = index, 0
        column += size
    return start


def first_lines(lines: list[Line], blocks: int) -> list[int]:
    """For each block, its first screen line; a hidden block gets the next shown one's."""
    first: list[int | None] = [None] * blocks
    for number, line in enumerate(lines):
        if line.first and first[line.block] is None:
            first[line.block] = number
    following = max(0, len(lines) - 1)
    for block in range(blocks - 1, -1, -1):
        if first[block] is None:
            first[block] = following
        following = first[block]
    return [number or 0 for number in first]


class LinkIndex:
    """Which screen lines show which links, for Tab navigation; built on first use."""

    def __init__(self, doc: Document, lines: list[Line]) -> None:
        self.doc = doc
        self.lines = lines
        self._rows: list[tuple[int, list[int]]] | None = None

    def links_on(self, line: Line) -> list[int]:
        """Link indexes with a span on this line."""
        block = self.doc.blocks[line.block]
        return [span.link for span in block.spans
                if span.link is not None and span.start < line.end and span.end > line.start]

    @property
    def rows(self) -> list[tuple[int, list[int]]]:
        """(line number, links on it) for every line showing a link."""
        if self._rows is None:
            self._rows = [(number, links) for number, line in enumerate(self.lines)
                          if (links := self.links_on(line))]
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
