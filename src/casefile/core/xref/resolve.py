"""The one link resolver's file half: which file of the folder a link's text names.

The format's order is: a case id, then a file by its path (with or without `.md`),
by the end of its path (`folder/Note`), or by its name (`Note`), then an entity name
or alias, then a case title. `Xref` asks the id first and the names after; this
module answers the middle steps for notes and attachments alike, and breaks ties
as the format says: the file nearest the linking file (the longest common folder
prefix), then the shortest path, then alphabetical order. Pure: paths in, paths out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from casefile.core.xref.mentions import name_key

NOTE_SUFFIX = ".md"


def is_note(path: str) -> bool:
    """True for a Markdown file (a case or an entity page)."""
    return path.lower().endswith(NOTE_SUFFIX)


def file_key(path: str) -> str:
    """A file's path as links spell it: a note without `.md`; compared like names."""
    return name_key(path[: -len(NOTE_SUFFIX)] if is_note(path) else path)


def target_key(target: str) -> str:
    """A link target as files are looked up: `Note.md` and `Note` are one note."""
    key = name_key(target.replace("\\", "/"))
    return key[: -len(NOTE_SUFFIX)] if key.endswith(NOTE_SUFFIX) else key


def joined(from_path: str, target: str) -> str:
    """A path relative to the linking file, as a path below the folder (`..` resolved)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))


@dataclass(frozen=True, slots=True)
class Found:
    """The file a link names, and whether the tie-break had to fall to shortest/alphabetical."""

    path: str
    ambiguous: bool = False


class Files:
    """Every file of the folder by its path key and by its name key."""

    def __init__(self, notes: Iterable[str], attachments: Iterable[str] = ()) -> None:
        self.exact: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for path in sorted({*notes, *attachments}):
            key = file_key(path)
            self.exact.setdefault(key, []).append(path)
            self.by_name.setdefault(key.rpartition("/")[2], []).append(path)

    def __contains__(self, path_key: str) -> bool:
        """True when some file has exactly this path key."""
        return path_key in self.exact

    def candidates(self, key: str) -> list[str]:
        """Files named by `key`: by whole path, else by path suffix or by name."""
        if not key:
            return []
        exact = self.exact.get(key)
        if exact:
            return exact
        name = key.rpartition("/")[2]
        named = self.by_name.get(name, [])
        if "/" not in key or not named:
            return named
        tail = "/" + key
        return [path for path in named if file_key(path).endswith(tail)]

    def exists(self, key: str) -> bool:
        """True when some file answers to `key` (no tie-break needed)."""
        return bool(self.candidates(key))

    def find(self, key: str, from_path: str) -> Found | None:
        """The file `key` names, nearest `from_path` when several do; None when none does."""
        found = self.candidates(key)
        if not found:
            return None
        if len(found) == 1:
            return Found(found[0])
        return nearest(found, from_path)

    def find_link(self, target: str, from_path: str, markdown: bool) -> Found | None:
        """A link's file: a Markdown link's path relative to its file first, then by name."""
        if markdown:
            exact = self.exact.get(file_key(joined(from_path, target)))
            if exact:
                return nearest(exact, from_path) if len(exact) > 1 else Found(exact[0])
        return self.find(target_key(target), from_path)


def nearest(paths: list[str], from_path: str) -> Found:
    """The path sharing the most folders with `from_path`, then the shortest, then the first."""
    folders = from_path.split("/")[:-1]

    def shared(path: str) -> int:
        count = 0
        for mine, theirs in zip(folders, path.split("/")[:-1]):
            if mine != theirs:
                break
            count += 1
        return count

    scored = sorted(paths, key=lambda path: (-shared(path), len(path), path))
    best = shared(scored[0])
    tied = [path for path in scored if shared(path) == best]
    return Found(scored[0], ambiguous=len(tied) > 1)


__all__ = ["Files", "Found", "file_key", "is_note", "joined", "nearest", "target_key"]
