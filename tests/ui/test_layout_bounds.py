"""Laying out and indexing screen lines: work per block or per span, not per line (issue 10).

Counted in calls, never timed. 300,000 plain lines were 300,000 objects (0.4-2 s of
allocation and garbage collection in the app); links and paint looked at every span of
a block for every line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from safety.helpers import calls

from casefile.ui.layout import LinkIndex, first_lines, layout
from casefile.ui.printed import styled_lines
from casefile.ui.render import render_markdown, render_plain


def test_many_short_plain_lines_are_laid_out_without_work_per_line() -> None:
    document = render_plain("#\n" * 100_000)
    assert calls(layout, document, 80) < 100
    lines = layout(document, 80)
    assert len(lines) == 100_001 and lines[5] == (0, 10, 11, False) and lines[0].first
    assert calls(first_lines, lines, 1) < 100


def test_a_long_ascii_line_is_folded_without_work_per_character() -> None:
    document = render_plain("*_" * 200_000)
    assert calls(layout, document, 100) < 100
    lines = layout(document, 100)
    assert len(lines) == 4000 and all(line.end - line.start == 100 for line in lines)


def test_links_are_indexed_by_reading_only_the_blocks_that_hold_links() -> None:
    document = render_markdown("[[A]]\n\n```\n" + "code\n" * 9_000 + "```\n\n[[B]]")
    lines = layout(document, 80)
    index = LinkIndex(document, lines)
    assert calls(lambda: index.rows) < 200
    assert index.order() == [0, 1] and index.line_of(1) == len(lines) - 1


def test_spans_are_found_per_line_by_bisection() -> None:
    document = render_markdown(" ".join(f"**w{n}**" for n in range(5_000)))
    lines = layout(document, 60)
    assert calls(lines.spans_by_line, 0, document.blocks[0].spans) < 20 * len(document.blocks[0].spans)
    by_line = lines.spans_by_line(0, document.blocks[0].spans)
    line = lines[7]
    assert by_line[7] == [span for span in document.blocks[0].spans if span.start < line.end and span.end > line.start]


def lines_run(function: Callable[..., Any], *args: Any) -> int:
    """How many Python lines `function(*args)` executes (loops that make no call count too)."""
    count = 0

    def trace(_frame: Any, event: str, _arg: Any) -> Any:
        nonlocal count
        count += event == "line"
        return trace

    sys.settrace(trace)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def test_show_styles_each_line_from_the_spans_on_it_not_every_span_of_its_block() -> None:
    document = render_markdown(" ".join(f"**w{n}**" for n in range(3000)))
    lines = len(layout(document, 60))
    assert lines_run(lambda: list(styled_lines(document, 60))) < 100 * (3000 + lines)  # was lines x spans: 1.8 M
