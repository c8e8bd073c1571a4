"""The hashtag pattern written `#` first (searched in C) finds exactly what the
lookbehind-first pattern found, on mixed lines and on every line of the test data."""

from __future__ import annotations

import re
from pathlib import Path

from casefile.config import SAMPLE_CASES
from casefile.core.text import wikilinks

DATA = Path(__file__).resolve().parent.parent / "data"
BEFORE = re.compile(r"(?<![\w&/#:.@\-])#(\w[\w\-/]{0,%d})(?![\w\-/])" % wikilinks.MAX_NAME_CHARS)

LINES = [
    "#tag", "#tag at the start", "a #tag b", "a#tag", "&#123;", "x/#frag", "##double", ":#no", ".#no",
    "@#no", "-#no", "é#no", "(#yes)", "#a/b/c #d-e #f_g", "# heading", "#", "##", "#-x", "#12 #2024-01",
    "[#yes] ,#yes ;#yes", "#ünïcode #中文 #x" + "y" * 200, "tab\t#yes", "line\n#next",
]


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """Where each match is, and its tag."""
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def test_the_same_matches_on_mixed_lines() -> None:
    for line in LINES:
        assert spans(wikilinks._TAG, line) == spans(BEFORE, line), line


def test_the_same_matches_on_the_test_data() -> None:
    files = sorted([*DATA.rglob("*.md"), *SAMPLE_CASES.rglob("*.md")])
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)
    assert text.count("#") > 500
    assert spans(wikilinks._TAG, text) == spans(BEFORE, text)
