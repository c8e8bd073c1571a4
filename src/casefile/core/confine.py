"""Links are confined to the case folder: `../`, absolute paths and `file:` never leave it.

The parser uses `leaves_folder` to report such links; a reader that wants to follow a
relative Markdown link asks `resolve_inside_link`, which answers None for anything
that is external (shown, never opened) or outside the folder (never opened at all).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{0,31}:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _target_part(href: str) -> str:
    """The path of a link without its `#fragment` or `?query`, percent-decoded."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    return unquote(path).replace("\\", "/").strip()


def is_external(href: str) -> bool:
    """True for a URL with a scheme other than `file:` (http, https, mailto...)."""
    text = href.strip()
    return bool(_SCHEME.match(text)) and not is_local_url(text) and not _DRIVE.match(text)


def is_local_url(href: str) -> bool:
    """True for `file:` URLs, which would open the reader's own disk."""
    return href.strip().lower().startswith("file:")


def _absolute(path: str) -> bool:
    """True for `/x`, `~/x`, `C:\\x` and UNC paths."""
    return path.startswith(("/", "~")) or bool(_DRIVE.match(path))


def leaves_folder(href: str, from_path: str) -> bool:
    """True when a Markdown link in the file `from_path` points outside the case folder."""
    if is_local_url(href):
        return True
    if is_external(href):
        return False
    target = _target_part(href)
    if _absolute(target) or _absolute(href.strip()):
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))
    return joined == ".." or joined.startswith("../")


def wiki_target_leaves(target: str) -> bool:
    """True when a wiki-link target is written as a path outside the folder (`../x`, `/etc`)."""
    text = target.replace("\\", "/").strip()
    return is_local_url(text) or _absolute(text) or ".." in text.split("/")


def resolve_inside_link(root: Path, from_path: str, href: str) -> Path | None:
    """The file inside `root` a relative link points at, or None (external or outside)."""
    if is_external(href) or leaves_folder(href, from_path):
        return None
    target = _target_part(href)
    if not target:
        return None
    base = root.resolve()
    full = (base / posixpath.dirname(from_path) / target).resolve()
    return full if full.is_relative_to(base) else None  # a symlink may still lead out
