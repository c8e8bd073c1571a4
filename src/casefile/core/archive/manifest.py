"""The freshness manifest: each indexed file's size and mtime, and the index files holding them.

Every no-change check reads it, without Whoosh, so it is two small marshal files:
`fresh.marshal`, the base (every file's stamp, written under a new generation number),
and `fresh-recent.marshal`, what changed since that base (plus the index files and
counts now). A refresh rewrites only the recent file, until more than RECENT_LIMIT files
changed since the base; then a new base is written, then an empty recent file. So a
one-file refresh writes a few KB at any size of archive.

Both are written after the index commit they describe. A recent file naming another
generation than the base's is ignored: it is left from before that base was written,
and the base alone holds every change it held.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casefile.core.archive import sidefile
from casefile.core.disk import write_private
from casefile.core.read.folder import FileStat

FRESH = "fresh.marshal"
RECENT = "fresh-recent.marshal"
RECENT_LIMIT = 2000
"""Changed files a recent file holds at most (~80 KB); past it a new base is written."""
Stamp = tuple[int, int]


class Stamps(dict[str, Stamp]):
    """path -> (size, mtime_ns), remembering which paths changed since the base was written."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.changed: set[str] = set()

    def __setitem__(self, path: str, value: Stamp) -> None:
        super().__setitem__(path, value)
        self.changed.add(path)

    def __delitem__(self, path: str) -> None:
        super().__delitem__(path)
        self.changed.add(path)

    def pop(self, path: str, *default: Any) -> Any:
        self.changed.add(path)
        return super().pop(path, *default)


@dataclass
class Fresh:
    """The freshness manifest: what the index holds, and which index files make it up."""

    version: str
    files: Stamps = field(default_factory=Stamps)
    index_files: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    """Indexed documents by kind ("case", "entity")."""
    generation: int | None = None
    """The base on disk that `files.changed` is counted from (None: no base yet)."""

    def __post_init__(self) -> None:
        if not isinstance(self.files, Stamps):
            self.files = Stamps(self.files)


def load_fresh(directory: Path | None, version: str) -> Fresh | None:
    """The manifest, or None when missing, unreadable or of another schema version."""
    base = sidefile.load(directory, FRESH)
    try:
        if base is None or base["version"] != version or not _stamps_ok(base["files"]):
            return None
        fresh = Fresh(version, Stamps(base["files"]), _sizes(base["index_files"]), _sizes(base.get("counts", {})),
                      int(base["gen"]))
        recent = sidefile.load(directory, RECENT)
        if isinstance(recent, dict) and recent.get("base") == fresh.generation and recent.get("version") == version:
            _apply(fresh, recent)
        return fresh
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def _apply(fresh: Fresh, recent: dict[str, Any]) -> None:
    """Bring a base up to date with its recent file (raises on malformed data)."""
    changes = recent["changes"]
    if not _stamps_ok({path: stamp for path, stamp in changes.items() if stamp is not None}):
        raise ValueError("malformed recent changes")
    index_files, counts = _sizes(recent["index_files"]), _sizes(recent["counts"])
    for path, stamp in changes.items():
        if stamp is None:
            dict.pop(fresh.files, path, None)
        else:
            dict.__setitem__(fresh.files, path, stamp)
    fresh.files.changed = set(changes)
    fresh.index_files, fresh.counts = index_files, counts


def _stamps_ok(files: Any) -> bool:
    """True for a dict of (size, mtime) pairs (checked in C: 100,000 of them in a few ms)."""
    return type(files) is dict and set(map(type, files.values())) <= {tuple} \
        and set(map(len, files.values())) <= {2}


def _sizes(data: Mapping[Any, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in data.items()}


def save_fresh(directory: Path, fresh: Fresh) -> None:
    """Write what changed since the base (a new base first when there is none, or too much changed)."""
    if fresh.generation is None or len(fresh.files.changed) > RECENT_LIMIT:
        generation = sidefile.new_generation()
        write_private(directory / FRESH, marshal.dumps(
            {"version": fresh.version, "gen": generation, "index_files": fresh.index_files,
             "counts": fresh.counts, "files": dict(fresh.files)}))
        fresh.generation = generation
        fresh.files.changed.clear()
    changes = {path: fresh.files.get(path) for path in fresh.files.changed}
    write_private(directory / RECENT, marshal.dumps(
        {"version": fresh.version, "base": fresh.generation, "index_files": fresh.index_files,
         "counts": fresh.counts, "changes": changes}))


@dataclass
class Diff:
    """Files found by the walk compared with the manifest."""

    added: list[FileStat] = field(default_factory=list)
    changed: list[FileStat] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def diff_stamps(found: Mapping[str, Stamp], known: Mapping[str, Stamp], only: Iterable[str] | None = None) -> Diff:
    """Added, changed (size or mtime differ) and removed files, from path -> (size, mtime) maps;
    with `only`, the other paths are known to be the same in both."""
    get, look = known.get, found.get
    result = Diff()
    paths = found if only is None else [path for path in dict.fromkeys(only) if path in found]
    for path in sorted(path for path in paths if get(path) != look(path)):
        (result.changed if path in known else result.added).append(FileStat(path, *found[path]))
    gone = known.keys() - found.keys() if only is None else {path for path in only if path in known} - found.keys()
    result.removed = sorted(gone)
    return result
