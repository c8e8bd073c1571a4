"""The hostile case folder: committed files plus the threats a test must generate.

`build(dest)` copies tests/data/hostile/ to `dest` and adds what must not be
committed (huge, binary, deeply nested, thousands of links, symbolic links out of
the folder and in loops, hostile file names, a FIFO). `EXPECTED` maps each hostile
path to the problem codes `casefile check` must report for it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from casefile.core.text.sanitize import clean_line

DATA = Path(__file__).resolve().parent.parent / "data" / "hostile"
SECRET = "SECRET-OUTSIDE-THE-FOLDER"
"""Text of a file outside the folder; it must never appear in any output."""
GOOD = {"GOOD-EN": "malecon", "GOOD-ES": "periodistas"}
"""Good case id -> a word only it (and its neighbour) contains, to be found by search."""

UNSAFE_NAMES = [b"name-esc\x1b]0;pwned\x07.md", b"name-latin1-\xf1.md", b"name-bidi-\xe2\x80\xaetxt.md",
                b"name-newline\nx.md"]
EXPECTED: dict[str, set[str]] = {
    "escape-csi.md": {"control-characters", "front-matter-invalid"},
    "escape-osc.md": {"control-characters"},
    "c0-c1-controls.md": {"control-characters"},
    "bidi-override.md": {"control-characters"},
    "yaml-escapes.md": {"control-characters"},
    "yaml-python-tag.md": {"front-matter-invalid"},
    "yaml-safe-tags.md": {"front-matter-invalid"},
    "yaml-duplicate-keys.md": {"front-matter-invalid"},
    "front-matter-unclosed.md": {"front-matter-unclosed"},
    "yaml-alias-bomb.md": {"front-matter-invalid"},
    "yaml-wrong-types.md": {"date-invalid", "field-invalid"},
    "links-outside.md": {"link-outside"},
    "invisible-names.md": {"invisible-characters", "duplicate-id"},
    "Citizen\u200bLab.md": {"invisible-characters"},
    "invalid-utf8.md": {"encoding-invalid"},
    "huge.md": {"file-too-large"},
    "nul-bytes.md": {"not-text"},
    "many-links.md": {"too-many-links"},
    "many-entities.md": {"too-many-entities"},
    "symlink-outside.md": {"link-outside"},
    "outside-folder": {"link-outside"},
    "symlink-inside.md": {"symlink-duplicate"},
    "loop-a.md": {"read-failed"},
    "loop-b.md": {"read-failed"},
    **{clean_line(os.fsdecode(name)): {"name-unsafe"} for name in UNSAFE_NAMES},
}
HANDLED_QUIETLY = ["rich-markup.md", "long-line.md", "nested-lists.md", "nested-quotes.md",
                   "entity-references.md", "code-backtracking.md", "wide-table.md", "many-headings.md"]
"""Hostile to a careless reader only: indexed normally, no problem to report."""


def build(dest: Path, outside: Path) -> Path:
    """Create the hostile folder at `dest` (and a secret file in `outside`); return `dest`."""
    shutil.copytree(DATA, dest)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.md").write_text(f"# {SECRET}\n\n{SECRET}\n", encoding="utf-8")
    (dest / "huge.md").write_bytes(b"# Huge\n\n" + b"lorem ipsum " * 200_000)  # 2.4 MB > 2 MB cap
    (dest / "nul-bytes.md").write_bytes(b"# Binary\n\n" + bytes(range(256)) * 8)
    (dest / "long-line.md").write_text("# Long line\n\n" + "palabra " * 60_000 + "\n", encoding="utf-8")
    (dest / "nested-lists.md").write_text(  # 300 indented levels, then 5,000 on one line
        "# Nested lists\n\n" + "".join("  " * i + "- level\n" for i in range(300))
        + "\n" + "- " * 5000 + "deep\n", encoding="utf-8")
    (dest / "nested-quotes.md").write_text(
        "# Nested quotes\n\n" + ">" * 5000 + " deep\n\n" + "> " * 5000 + "deeper\n", encoding="utf-8")
    (dest / "many-links.md").write_text("# Many links\n\n" + "[[GOOD-EN]] " * 6000 + "\n", encoding="utf-8")
    (dest / "many-entities.md").write_text(  # 1,000 people: half a million pairs without the cap
        "---\nentities:\n  person:\n" + "".join(f"    - Person {n}\n" for n in range(1000)) + "---\n# People\n",
        encoding="utf-8")
    (dest / "wide-table.md").write_text(  # 60 KB header-only table: one line, 8,000 columns
        "# Wide\n\n|" + "|".join(f"c{n}" for n in range(8000)) + "|\n|" + "-|" * 8000 + "\n", encoding="utf-8")
    (dest / "many-headings.md").write_text("# Headings\n\n" + "#\n" * 30_000, encoding="utf-8")
    (dest / "symlink-outside.md").symlink_to(outside / "secret.md")
    (dest / "outside-folder").symlink_to(outside, target_is_directory=True)
    (dest / "symlink-inside.md").symlink_to(Path("good-en.md"))  # indexed once, as good-en.md
    (dest / "loop-a.md").symlink_to(dest / "loop-b.md")
    (dest / "loop-b.md").symlink_to(dest / "loop-a.md")
    (dest / "folder-loop").symlink_to(Path("."), target_is_directory=True)
    for name in UNSAFE_NAMES:
        with open(os.path.join(os.fsencode(dest), name), "wb") as handle:
            handle.write(b"# A file with a hostile name\n")
    (dest / "Citizen\u200bLab.md").write_text("# Looks like CitizenLab.md\n", encoding="utf-8")
    os.mkfifo(dest / "pipe.md")
    return dest
