"""Markdown tables for the reader: aligned columns when they fit, stacked records when not.

Both forms are built at render time; the layout shows the one that fits the width,
so no cell is ever cut and a narrow terminal still reads a wide table. No Textual.
"""

from __future__ import annotations

from rich.cells import cell_len

from casefile.ui.render_model import Span

Cell = tuple[str, list[Span]]
Form = tuple[str, list[Span], int]
"""Text, spans, and the width the aligned form needs."""


def _shift(spans: list[Span], offset: int, limit: int) -> list[Span]:
    """Cell spans moved to `offset` in the table text."""
    return [Span(offset + s.start, offset + min(s.end, limit), s.role, s.link) for s in spans if s.start < limit]


def aligned(rows: list[list[Cell]]) -> Form:
    """Columns padded to their widest cell, ` │ ` between them, a rule under the header.

    Linear in the number of cells: the running `position` replaces re-measuring the text.
    """
    columns = max((len(row) for row in rows), default=0)
    widths = [0] * columns
    for row in rows:
        for col, (text, _spans) in enumerate(row):
            widths[col] = max(widths[col], cell_len(text))
    out: list[str] = []
    spans: list[Span] = []
    position = 0
    for number, row in enumerate(rows):
        line = _aligned_row(row, widths, position, spans, header=number == 0)
        out.append(line)
        position += len(line)
        if number == 0 and len(rows) > 1:
            out.append("─┼─".join("─" * w for w in widths) + "\n")
            position += len(out[-1])
    width = sum(widths) + 3 * max(0, columns - 1)
    return "".join(out).rstrip("\n"), spans, width


def _aligned_row(row: list[Cell], widths: list[int], position: int, spans: list[Span], *, header: bool) -> str:
    """One padded row (ending in a newline) starting at `position`; its spans go to `spans`."""
    parts: list[str] = []
    offset = position
    last = len(widths) - 1
    for col, width in enumerate(widths):
        text, cell_spans = row[col] if col < len(row) else ("", [])
        spans.extend(_shift(cell_spans, offset, len(text)))
        if header:
            spans.append(Span(offset, offset + len(text), "table-header"))
        part = text if col == last else text + " " * (width - cell_len(text)) + " │ "
        parts.append(part)
        offset += len(part)
    line = "".join(parts)
    return line.rstrip() + "\n"


def stacked(rows: list[list[Cell]]) -> Form:
    """One record per data row: `Header: value` lines, a blank line between records."""
    if len(rows) < 2:
        return aligned(rows)
    headers = [text for text, _spans in rows[0]]
    out: list[str] = []
    spans: list[Span] = []
    position = 0
    for row in rows[1:]:
        if out:
            out.append("\n")
            position += 1
        for col, (text, cell_spans) in enumerate(row):
            label = f"{headers[col] if col < len(headers) else col + 1}: "
            spans.append(Span(position, position + len(label) - 2, "table-header"))
            spans.extend(_shift(cell_spans, position + len(label), len(text)))
            out.append(label + text + "\n")
            position += len(label) + len(text) + 1
    return "".join(out).rstrip("\n"), spans, 0
