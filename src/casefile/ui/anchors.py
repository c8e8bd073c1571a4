"""Where `[[Note#Heading]]` and `[[Note#^blockid]]` open a note: pure lookups, no Textual."""

from __future__ import annotations

from typing import Literal

from casefile.core.model import Case
from casefile.ui.links import heading_key
from casefile.ui.render_model import Document

Place = tuple[Literal["block", "line"], int]


def find_anchor(document: Document, case: Case, anchor: str) -> Place | None:
    """The heading block (or the file line of a `^blockid` paragraph) `anchor` names, or None.

    Headings match as in Obsidian, ignoring case, spaces and punctuation, and also by their
    GitHub-style slug (`#my-heading` in a Markdown link); the first match wins.
    """
    anchor = anchor.strip()
    if anchor.startswith("^"):
        wanted = anchor[1:].casefold()
        line = next((number for name, number in case.block_ids if name.casefold() == wanted), None)
        return ("line", line) if line is not None else None
    key = heading_key(anchor)
    if not key:
        return None
    for heading in document.headings:
        if heading_key(heading.title) == key or heading.slug == anchor.lower():
            return ("block", heading.block)
    return None
