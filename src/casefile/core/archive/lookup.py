"""Which files a key typed by a user names: a path selects exactly one file; an id may
name several (duplicate ids), and then the first by path is read and the user is told."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path, PurePosixPath
from typing import Protocol

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, number


class HasId(Protocol):
    """A catalog entry: only its id matters here."""

    id: str


def as_relative(cases_dir: Path, key: str) -> str:
    """`key` as a path below the case folder when it is written as one (`./a.md`, an absolute
    path inside the folder); otherwise `key` unchanged."""
    if Path(key).is_absolute():
        try:
            return Path(key).resolve().relative_to(cases_dir.resolve()).as_posix()
        except (ValueError, OSError):
            return key
    return PurePosixPath(key).as_posix() if key.startswith("./") else key


def paths_for(entries: Mapping[str, HasId], cases_dir: Path, key: str) -> list[str]:
    """Every file `key` names, by path: the file at that path (with or without `.md`),
    else every file whose id is `key` (case-insensitive)."""
    relative = as_relative(cases_dir, key)
    for candidate in (relative, f"{relative}.md"):
        if ".." in PurePosixPath(candidate).parts:
            continue
        if candidate in entries or (not entries and (cases_dir / candidate).is_file()):
            return [candidate]
    wanted = key.casefold()
    return sorted(path for path, entry in entries.items() if entry.id.casefold() == wanted)


def paths_in_notes(ids: Mapping[str, str], indexed: Collection[str], cases_dir: Path, key: str,
                   ) -> list[str] | None:
    """`paths_for` over the notes' ids (path -> id: the catalog less its skipped files), or None
    when a skipped file may be meant (one of `indexed`, every file the index holds, not a note)."""
    if not ids or len(indexed) < len(ids):
        return None  # an index out of step with the notes: only the catalog can say
    relative = as_relative(cases_dir, key)
    for candidate in (relative, f"{relative}.md"):
        if ".." in PurePosixPath(candidate).parts:
            continue
        if candidate in ids:
            return [candidate]
        if candidate in indexed:
            return None  # a skipped file's path
    wanted = key.casefold()
    if len(indexed) > len(ids) and any(path.casefold() == wanted for path in set(indexed) - ids.keys()):
        return None  # a skipped file's id is its path
    return sorted(path for path, case_id in ids.items() if case_id.casefold() == wanted)


def duplicate_notice(key: str, paths: list[str]) -> str | None:
    """What to tell the user when `key` names more than one file (None when it names one)."""
    if len(paths) < 2:
        return None
    return clean_line(_("id '{key}' is used by {count} files: {paths}; showing {first} (give a path to choose)")
                      .format(key=key, count=number(len(paths)), paths=", ".join(paths), first=paths[0]))
