"""The one link grammar of the core: wiki-links, embeds, anchors, Markdown links to files, tags.

Obsidian, zk and Foam write `[[X]]`, `[[X|label]]`, `[[X#Heading]]`, `[[X#^blockid]]`,
`[[#Heading]]` (the same note), `![[X]]` (an embed) and `[text](Other%20Note.md)`.
Every module that needs to know where a link is, what it names, or what a line says
once its links are read as text, asks this module (parsing, mentions, snippets and
the reader), so they cannot disagree. Callers hand it prose only: code is removed
before (parse.prose_lines).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

MAX_NAME_CHARS = 300
"""Longer wiki-link targets and tags are not links or tags (bounded work per line)."""
MAX_HREF_CHARS = 2000
_WIKI = re.compile(r"(!?)\[\[([^\[\]\n]{1,%d})\]\]" % (2 * MAX_NAME_CHARS + 1))
_WIKI_ANY = re.compile(r"!?\[\[[^\[\]\n]*\]\]")
_MARKDOWN = re.compile(r"(!?)\[([^\[\]\n]{0,%d})\]\(\s*(<[^<>\n]{1,%d}>|[^\s()<>]{1,%d})"
                       r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)" % (MAX_NAME_CHARS, MAX_HREF_CHARS, MAX_HREF_CHARS))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{0,31}:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_TAG = re.compile(r"#(?<![\w&/#:.@\-]#)(\w[\w\-/]{0,%d})(?![\w\-/])" % MAX_NAME_CHARS)
"""`#` first, then what must not stand before it: a pattern that starts with a literal is
searched for that character in C, one that starts with a lookbehind tried at every offset."""
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9][A-Za-z0-9\-]{0,63})[ \t]*$")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s<>]*")


@dataclass(frozen=True, slots=True)
class FoundLink:
    """One link in a line of prose, before it is given a line number."""

    target: str
    """Wiki: the name as written (spaces collapsed), "" for `[[#Heading]]`. Markdown: the
    decoded path as written, relative to the linking file."""
    anchor: str | None
    """`Heading` of `#Heading`, `^id` of `#^id`, or None."""
    label: str | None
    embed: bool
    markdown: bool
    """True for `[text](path)`: the target is a path relative to the linking file."""
    start: int
    end: int


def match_wiki(text: str, pos: int = 0, end: int | None = None) -> FoundLink | None:
    """The wiki-link or embed starting exactly at `pos` (its `!` or first `[`), or None."""
    found = _WIKI.match(text, pos, len(text) if end is None else end)
    return _wiki(found) if found is not None else None


def _wiki(found: re.Match[str]) -> FoundLink | None:
    """A wiki-link match read: target, anchor and label (`\\|` is a table's escaped `|`)."""
    inner = found.group(2)
    head, bar, label = inner.partition("|")
    if head.endswith("\\") and bar:
        head = head[:-1]
    name, hash_, anchor = head.partition("#")
    target = " ".join(name.split())
    anchor_text = " ".join(anchor.split()) if hash_ else ""
    if (not target and not anchor_text) or len(target) > MAX_NAME_CHARS or len(label) > MAX_NAME_CHARS:
        return None
    return FoundLink(target, anchor_text or None, label.strip() or None, bool(found.group(1)), False,
                     found.start(), found.end())


def is_local_href(href: str) -> bool:
    """True for a Markdown link destination that names a file of the folder (no scheme, not
    absolute, not a bare `#anchor`): `Other%20Note.md`, `../dir/note.md#heading`, `img.png`."""
    text = href.strip()
    return bool(text) and not (text.startswith(("#", "/", "\\", "~")) or _SCHEME.match(text)
                               or _DRIVE.match(text))


def _markdown(found: re.Match[str], from_path: str) -> FoundLink | None:
    """A Markdown link to a file of the folder, or None (a URL, an anchor, a path leaving it)."""
    href = found.group(3)
    href = href[1:-1] if href.startswith("<") else href
    if not is_local_href(href):
        return None
    path, hash_, anchor = href.partition("#")
    path = unquote(path.split("?", 1)[0]).replace("\\", "/").strip()
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), path)) if path else ""
    if not path or joined == ".." or joined.startswith("../"):
        return None
    anchor_text = " ".join(unquote(anchor).split()) if hash_ else ""
    return FoundLink(path, anchor_text or None, found.group(2).strip() or None, bool(found.group(1)), True,
                     found.start(), found.end())


def find_links(line: str, from_path: str = "") -> list[FoundLink]:
    """Every wiki-link, embed and Markdown link to a file in one line of prose, in order."""
    found: list[FoundLink] = []
    if "[[" in line:
        found += [link for m in _WIKI.finditer(line) if (link := _wiki(m)) is not None]
    if "](" in line:
        masked = mask_wiki(line) if found else line
        found += [link for m in _MARKDOWN.finditer(masked) if (link := _markdown(m, from_path)) is not None]
        found.sort(key=lambda link: link.start)
    return found


def mask_wiki(text: str) -> str:
    """`text` with every `[[...]]` (and `![[...]]`) blanked to spaces of the same length."""
    return _WIKI_ANY.sub(lambda m: " " * len(m.group()), text) if "[[" in text else text


def mask_links(line: str) -> str:
    """`line` with its links and URLs blanked (same length): what hashtags are looked for in."""
    if "[" in line:
        line = mask_wiki(line)
        if "](" in line:
            line = _MARKDOWN.sub(lambda m: " " * len(m.group()), line)
    if "://" in line:
        line = _URL.sub(lambda m: " " * len(m.group()), line)
    return line


def hashtags(line: str) -> list[str]:
    """The `#tags` of one line of prose (not a heading): `#parent/child` kept whole, never
    a link's anchor (`[[#Heading]]`, `](#frag)`) nor a URL's fragment; numbers are not tags."""
    if "#" not in line:
        return []
    tags = (m.group(1).rstrip("/") for m in _TAG.finditer(mask_links(line)))
    return [tag for tag in tags if not tag.replace("-", "").replace("/", "").isdigit()]


def tag_ancestors(tag: str) -> list[str]:
    """`a/b/c` -> [`a`, `a/b`]: the tags a nested tag is also found under."""
    parts = tag.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def block_id(line: str) -> tuple[str, int] | None:
    """(`id`, offset of the marker) when a line of prose ends with ` ^id`, else None."""
    if "^" not in line:
        return None
    found = _BLOCK_ID.search(line)
    return (found.group(1), found.start(1) - 1) if found else None


def shown(link: FoundLink) -> str:
    """What a link reads as in plain text: its label, else its target (and heading)."""
    if link.label:
        return link.label
    name = posixpath.basename(link.target).removesuffix(".md") if link.markdown else link.target
    if link.anchor and not link.anchor.startswith("^"):
        return f"{name} > {link.anchor}" if name else link.anchor
    return name or (link.anchor or "")


def as_text(text: str, keep: Callable[[FoundLink], str] = shown) -> str:
    """`text` with each wiki-link replaced by what it reads as (`[[a|b]]` -> `b`)."""
    if "[[" not in text:
        return text
    return _WIKI.sub(lambda m: keep(link) if (link := _wiki(m)) is not None else m.group(), text)


__all__ = ["MAX_NAME_CHARS", "FoundLink", "as_text", "block_id", "find_links", "hashtags", "is_local_href",
           "mask_links", "mask_wiki", "match_wiki", "shown", "tag_ancestors"]
