"""Which rendered block shows a line of a case file."""

from __future__ import annotations

from casefile.core.read.parse import parse_case
from casefile.ui.render import render_markdown
from casefile.ui.source_line import block_of_line

TEXT = """---
id: S-1
title: Lines
---
# Lines

Same words here.

A line naming [[Nobody Named So]] once.

Same words here.
"""


def test_a_file_line_finds_its_block_and_repeats_go_to_the_nearest() -> None:
    case, _problems = parse_case(TEXT, "s.md")
    document = render_markdown(case.body, case.path, case.title)
    text = [block.text for block in document.blocks]
    link = block_of_line(document, case, 9)
    assert link is not None and "Nobody Named So" in text[link]
    first, last = block_of_line(document, case, 7), block_of_line(document, case, 11)
    assert first is not None and last is not None and first < link < last
    assert block_of_line(document, case, 8) is None  # a blank line
    assert block_of_line(document, case, 2) is None  # the front matter
