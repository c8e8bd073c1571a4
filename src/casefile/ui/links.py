"""What a link in a case body points to, and whether the reader may follow it.

Wiki-links and relative links to `.md` files inside the folder navigate inside the
app; `#anchors` jump to a heading; http(s) and mailto URLs are shown, never opened;
`../`, absolute paths, `file:` and every other scheme are never followed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import N_

LinkKind = Literal["wiki", "case", "anchor", "url", "file", "blocked"]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_EXTERNAL = ("http://", "https://", "mailto:")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A link as the reader understands it."""

    kind: LinkKind
    target: str
    """Wiki target, case path without `.md`, anchor slug, URL, or the refused href."""
    label: str = ""
    reason: str = ""
    """Why a `blocked` or `file` link is not followed."""
    anchor: str = ""
    """`Heading` or `^blockid` after the `#` of a wiki-link: where the target opens."""

    @property
    def followable(self) -> bool:
        """True when activating the link does something inside the app."""
        return self.kind in ("wiki", "case", "anchor", "url")


def wiki_target(target: str, label: str = "", anchor: str | None = None) -> LinkTarget:
    """A `[[target#anchor|label]]` link."""
    target = clean_line(target).strip()
    return LinkTarget("wiki", target, clean_line(label).strip() or target, anchor=clean_line(anchor or "").strip())


def heading_key(text: str) -> str:
    """A heading or anchor as Obsidian matches it: ignoring case, spaces and punctuation."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def classify_href(href: str, case_path: str = "") -> LinkTarget:
    """Classify a Markdown link's href, relative to the case's own path."""
    href = clean_line(href).strip()
    lowered = href.lower()
    if lowered.startswith(_EXTERNAL):
        return LinkTarget("url", href)
    if href.startswith("#"):
        return LinkTarget("anchor", clean_line(unquote(href[1:])).lower())  # %1B decodes to ESC
    if _SCHEME.match(href) or lowered.startswith("//"):
        return LinkTarget("blocked", href, reason=N_("links with this scheme are never followed"))
    path = clean_line(unquote(href.split("#", 1)[0].split("?", 1)[0]))
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", path):
        return LinkTarget("blocked", href, reason=N_("absolute paths are never followed"))
    if ".." in re.split(r"[\\/]", path):
        return LinkTarget("blocked", href, reason=N_("links that climb with ../ are never followed"))
    if not path.lower().endswith(".md"):
        return LinkTarget("file", href, reason=N_("only links to case files (.md) are followed"))
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(case_path), path))
    fragment = clean_line(unquote(href.partition("#")[2]))
    return LinkTarget("case", joined[:-3], anchor=fragment)


def is_dangling(resolution: Any) -> bool:
    """True when the core's Resolution says a target resolves to nothing.

    None (not resolved: the case came with its dangling targets only) is not marked.
    """
    if resolution is None:
        return False
    return getattr(resolution, "kind", "dangling") == "dangling"


def dangling_links(links: Sequence[LinkTarget], resolve: Callable[[str], Any]) -> frozenset[int]:
    """Indexes of the wiki-links whose target resolves to nothing (one lookup per target)."""
    verdicts: dict[str, bool] = {}
    for link in links:
        if link.kind == "wiki" and link.target not in verdicts:
            verdicts[link.target] = is_dangling(resolve(link.target))
    return frozenset(index for index, link in enumerate(links) if link.kind == "wiki" and verdicts[link.target])
