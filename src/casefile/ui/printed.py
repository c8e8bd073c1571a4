"""A rendered `Document` as terminal lines, for `casefile show`; no Textual here.

`show` prints through the reader's renderer rather than Rich's Markdown: the same
bounded parse (plain text past the limits), code blocks never go through a Pygments
lexer (several of them backtrack exponentially on hostile code), and every printed
line is sanitized after markdown-it has decoded its entities (`&#x202E;`).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.style import Style
from rich.text import Text

from casefile.core.text.sanitize import clean_line
from casefile.ui.layout import Line, layout
from casefile.ui.render_model import Block, Document, Span

ROLE_STYLES = {
    "strong": Style(bold=True), "em": Style(italic=True), "strike": Style(strike=True),
    "code": Style(color="cyan"), "link": Style(underline=True), "wiki": Style(underline=True, color="blue"),
    "link-blocked": Style(dim=True), "image": Style(dim=True), "table-header": Style(bold=True),
}
KIND_STYLES = {"heading": Style(bold=True), "code": Style(color="cyan")}
PREFIX_STYLE = Style(dim=True)


def plain_lines(document: Document, width: int) -> Iterator[str]:
    """The document wrapped to `width`, one safe line at a time, without styles."""
    for line in layout(document, width):
        block = document.blocks[line.block]
        yield clean_line(_prefix(block, line) + _body(block, line, width)).rstrip()


def styled_lines(document: Document, width: int) -> Iterator[Text]:
    """The document wrapped to `width` as Rich `Text` lines (never parsed as markup)."""
    lines = layout(document, width)
    spans: dict[int, dict[int, list[Span]]] = {}  # per block, by line: never every span for every line
    for number, line in enumerate(lines):
        block = document.blocks[line.block]
        text = Text(clean_line(_body(block, line, width)), KIND_STYLES.get(block.kind, Style()))
        if line.block not in spans:
            spans[line.block] = lines.spans_by_line(line.block, block.spans)
        for span in spans[line.block].get(number, []):
            if span.role in ROLE_STYLES:
                text.stylize(ROLE_STYLES[span.role], max(0, span.start - line.start), span.end - line.start)
        yield Text(clean_line(_prefix(block, line)), PREFIX_STYLE) + text


def _prefix(block: Block, line: Line) -> str:
    """The quote or list prefix of one line."""
    return block.first_prefix if line.first else block.rest_prefix


def _body(block: Block, line: Line, width: int) -> str:
    """The text of one line; a rule fills the width."""
    if block.kind == "rule":
        return "─" * max(0, width - len(_prefix(block, line)))
    return block.text[line.start:line.end]
