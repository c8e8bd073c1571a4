"""The self-test's case folder: the bundled samples plus a built-in hostile sample.

The hostile files shipped in `hostile/` hold raw escape sequences (CSI, OSC title,
hyperlink and clipboard, DCS, APC, 8-bit C1), raw bidi overrides and the same controls
written as character references (`&#x202E;`, `&#8238;`, `&#27;`, named ones such as
`&rlm;`), YAML tags and an alias bomb, an unclosed front matter, links out of the
folder, Rich markup, wiki-link loops, invalid UTF-8 and NUL bytes. What cannot ship
in a wheel is made here: a huge line, a file over the size cap, a hostile file name,
symbolic links out of the folder and in a loop, and a FIFO.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from casefile.config import SAMPLE_CASES

HOSTILE = Path(__file__).resolve().parent / "hostile"
SECRET = "SECRET-OUTSIDE-THE-SELFTEST-FOLDER"
"""Text of a file outside the case folder, reached by a symbolic link: it must never show."""
BAD_NAME = "hostile/name-\x1b]0;pwned\x07.md"
HUGE_LINE_WORDS = 60_000
"""Words on the one line of huge-line.md (about 1.3 MB, under the size cap)."""


@dataclass(frozen=True)
class Expect:
    """The problem codes a hostile file must get, and who adds those not reported yet."""

    codes: frozenset[str]
    pending: str = ""
    """Set when another change in progress adds a code: the check fails until it lands."""


EXPECTED: dict[str, Expect] = {
    "hostile/escapes.md": Expect(frozenset({"control-characters"})),
    "hostile/yaml-tags.md": Expect(frozenset({"front-matter-invalid"})),
    "hostile/alias-bomb.md": Expect(frozenset({"front-matter-invalid"})),
    "hostile/unclosed.md": Expect(frozenset({"front-matter-unclosed"}), "issue 10, h-text"),
    "hostile/links.md": Expect(frozenset({"link-outside"})),
    "hostile/invalid-utf8.md": Expect(frozenset({"encoding-invalid"})),
    "hostile/nul-bytes.md": Expect(frozenset({"not-text"})),
    "hostile/too-large.md": Expect(frozenset({"file-too-large"})),
    "hostile/symlink-outside.md": Expect(frozenset({"link-outside"})),
    "hostile/symlink-loop-a.md": Expect(frozenset({"read-failed"})),
    "hostile/name-\ufffd.md": Expect(frozenset({"name-unsafe"})),
}
"""Path (as `check` prints it, sanitized) -> what it must report."""
WORDS = {"hostile/escapes.md": "escapeword", "hostile/references.md": "referenceword",
         "hostile/loop-a.md": "loopword", "hostile/huge-line.md": "hugelineword"}
"""A word only that hostile file holds: search must find it there."""
READABLE = ("escapes.md", "references.md", "yaml-tags.md", "unclosed.md", "links.md",
            "loop-a.md", "loop-b.md", "invalid-utf8.md", "huge-line.md")
"""Hostile files the reader must open (the others are refused, and named as problems)."""


def write_sample(root: Path, max_bytes: int) -> Path:
    """Create root/cases (samples + hostile) and root/outside (the secret); the case folder."""
    cases = root / "cases"
    shutil.copytree(SAMPLE_CASES, cases)
    shutil.copytree(HOSTILE, cases / "hostile")
    _generate(cases / "hostile", root / "outside", max_bytes)
    return cases


def _generate(hostile: Path, outside: Path, max_bytes: int) -> None:
    """The hostile files that cannot ship as package data."""
    outside.mkdir()
    (outside / "secret.md").write_text(f"# {SECRET}\n\n{SECRET}\n", encoding="utf-8")
    (hostile / "huge-line.md").write_text(
        "# Huge line\n\n" + "palabra hugelineword " * HUGE_LINE_WORDS + "\n", encoding="utf-8")
    (hostile / "too-large.md").write_bytes(b"# Too large\n\n" + b"x" * max_bytes)
    (hostile / "symlink-outside.md").symlink_to(outside / "secret.md")
    (hostile / "symlink-loop-a.md").symlink_to(hostile / "symlink-loop-b.md")
    (hostile / "symlink-loop-b.md").symlink_to(hostile / "symlink-loop-a.md")
    (hostile / "name-\x1b]0;pwned\x07.md").write_text("# A hostile file name\n", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(hostile / "pipe.md")  # reading it would block forever
