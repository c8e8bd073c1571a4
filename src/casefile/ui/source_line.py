"""Which rendered block shows a given line of a case file (to open a problem at its line).

Rendered blocks do not keep their source lines, so the line's words are looked for
in the blocks' text: the block sharing the most words wins, the one nearest the
line's relative place in the file on a tie. A blank or syntax-only line finds nothing.
"""

from __future__ import annotations

import re

from casefile.core.model import Case
from casefile.ui.render_model import Document

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    """Lower-case words of `text`."""
    return {word.casefold() for word in _WORD.findall(text)}


def source_text(case: Case, line: int) -> str:
    """The text of file line `line` (1-based) when it is in the body, else ""."""
    index = line - case.body_line
    lines = case.body.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def block_of_line(document: Document, case: Case, line: int) -> int | None:
    """The block that shows file line `line` of `case`, or None when it cannot be told."""
    wanted = _words(source_text(case, line))
    if not wanted or not document.blocks:
        return None
    total = max(1, len(case.body.splitlines()))
    place = (line - case.body_line) / total

    def score(number: int) -> tuple[int, float]:
        shared = len(wanted & _words(document.blocks[number].text))
        return shared, -abs(number / len(document.blocks) - place)

    best = max(range(len(document.blocks)), key=score)
    return best if score(best)[0] else None
