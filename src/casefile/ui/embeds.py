"""`![[note]]` and `![[file.png]]` embeds, read off the UI thread before a case is shown.

A note (or its section) is embedded at most `MAX_DEPTH` levels deep, cut at
`MAX_CHARS` characters, never inside itself; any other file is an attachment:
only its name, type and size are read (a `stat`), it is never opened.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from casefile.core.model import Case
from casefile.ui.links import heading_key

MAX_DEPTH = 2
MAX_CHARS = 4_000
MAX_EMBEDS = 20
"""Embeds read per note; past it they are shown as links, so a note of 1,000 embeds stays cheap."""
MAX_READS = 40
"""Notes read for one case, all levels together (20 embeds each embedding 20 would be 420)."""
EmbedKey = tuple[str, str]
"""(target, anchor or "") as written in `![[target#anchor]]`."""
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")


@dataclass(frozen=True, slots=True)
class Embedded:
    """What one embed shows."""

    kind: Literal["note", "attachment", "cycle", "deep", "skipped", "many"]
    name: str
    """The file's name (attachments) or the note's title."""
    path: str = ""
    text: str = ""
    """The note or section shown (Markdown), at most `MAX_CHARS` characters."""
    cut: bool = False
    anchor_missing: bool = False
    size: int | None = None
    mime: str = ""
    nested: dict[EmbedKey, Embedded] = field(default_factory=dict)


def gather(archive: Any, case: Case, depth: int = 1, seen: frozenset[str] = frozenset(),
           budget: list[int] | None = None) -> dict[EmbedKey, Embedded]:
    """The embeds of `case` (read from `archive`, off the UI thread), `depth` levels down."""
    budget = [MAX_READS] if budget is None else budget  # shared by every level
    found: dict[EmbedKey, Embedded] = {}
    seen = seen | {case.path}
    for link in case.links:
        key = (link.target, link.anchor or "")
        if not link.embed or link.markdown or not link.target or key in found:
            continue
        if len(found) >= MAX_EMBEDS:
            break
        resolution = archive.xref.resolve(link.target, case.path)  # the same-named note nearest this one
        path = getattr(resolution, "path", None)
        if resolution.kind == "file" and path:
            found[key] = attachment(archive.cases_dir, path)
        elif resolution.kind == "case" and path:
            found[key] = _note(archive, path, link.anchor or "", depth, seen, budget)
    return found


def attachment(root: Path, path: str) -> Embedded:
    """An attachment's name, type and size (a `stat`, never a read)."""
    try:
        size: int | None = (root / path).stat().st_size
    except OSError:
        size = None
    mime = mimetypes.guess_type(PurePosixPath(path).name)[0] or ""
    return Embedded("attachment", PurePosixPath(path).name, path, size=size, mime=mime)


def _note(archive: Any, path: str, anchor: str, depth: int, seen: frozenset[str], budget: list[int]) -> Embedded:
    """A note or its section, with its own embeds one level further down."""
    name = PurePosixPath(path).name.removesuffix(".md")
    if path in seen:
        return Embedded("cycle", name, path)
    if depth > MAX_DEPTH:
        return Embedded("deep", name, path)
    if budget[0] <= 0:
        return Embedded("many", name, path)
    budget[0] -= 1
    note = archive.case(path)
    if note is None:
        return Embedded("skipped", name, path)
    text = section(note, anchor) if anchor else note.body
    missing = text is None
    text = note.body if text is None else text
    cut = len(text) > MAX_CHARS
    shown = text[:MAX_CHARS].rsplit("\n", 1)[0] if cut else text
    nested = gather(archive, note, depth + 1, seen, budget)
    label = (note.title or name) + (f" › {anchor}" if anchor else "")
    return Embedded("note", label, path, shown, cut, missing, nested=nested)


def section(note: Case, anchor: str) -> str | None:
    """The lines under the heading `anchor` names (to the next heading as high), or the
    paragraph of a `^blockid`; None when the note has no such heading or block."""
    lines = note.body.splitlines()
    if anchor.startswith("^"):
        wanted = anchor[1:].casefold()
        line = next((n for name, n in note.block_ids if name.casefold() == wanted), None)
        if line is None or not 0 <= line - note.body_line < len(lines):
            return None
        end = start = line - note.body_line
        while start > 0 and lines[start - 1].strip():
            start -= 1
        return "\n".join(lines[start:end + 1])
    key = heading_key(anchor)
    for number, text in enumerate(lines):
        found = _HEADING.match(text)
        if found and heading_key(found.group(2)) == key:
            level = len(found.group(1))
            end = next((n for n in range(number + 1, len(lines))
                        if (m := _HEADING.match(lines[n])) and len(m.group(1)) <= level), len(lines))
            return "\n".join(lines[number:end])
    return None
