"""The index's side files: what is indexed, and what each indexed file holds.

`fresh.marshal` is small (path -> size, mtime; the index files and their sizes), so the
no-change check reads it in milliseconds without importing Whoosh. `catalog.marshal`
holds per file its hash, id, the names it refers to, its entity page data and its
problems; it is read only when something changed or when asked for problems.
Both are written atomically (temporary file + rename), owner-only, with marshal: at 10k
files JSON cost 90 ms to write the catalog and 70 ms to read it, marshal 6 and 25.
"""

from __future__ import annotations

import marshal
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from casefile.core.disk import write_private
from casefile.core.model import Case, EntityInfo, Problem, problem
from casefile.core.read.library import FileStat
from casefile.core.text.names import normalize_name

FORMAT = 4
FRESH = "fresh.marshal"
CATALOG = "catalog.marshal"
"""The catalog's header; its entries are in SHARDS files beside it."""
SHARDS = 32
INDEX_PREFIXES = ("MAIN_", "_MAIN_")


@dataclass
class Entry:
    """What the catalog remembers about one indexed file."""

    sha: str
    id: str
    kind: str
    names: list[str] = field(default_factory=list)
    """normalize_name of every name the file lists or links (entity pages: their own)."""
    entity: EntityInfo | None = None
    problems: list[Problem] = field(default_factory=list)
    saved: list[Any] | None = field(default=None, compare=False, repr=False)
    """to_json() as first computed: entries are replaced, never changed, and a catalog
    shard rewrites every entry it holds."""

    def to_json(self) -> list[Any]:
        """A compact form of plain lists (for marshal)."""
        if self.saved is None:
            entity = [self.entity.type, list(self.entity.names)] if self.entity else None
            problems = [[p.line, p.code, p.message, p.severity, p.template, list(p.params)]
                        for p in self.problems]
            self.saved = [self.sha, self.id, self.kind, self.names, entity, problems]
        return self.saved

    @classmethod
    def from_json(cls, path: str, data: list[Any]) -> Entry:
        """Inverse of to_json (raises on malformed data)."""
        sha, case_id, kind, names, entity, problems = data
        info = EntityInfo(str(entity[0]), tuple(entity[1])) if entity else None
        found = [Problem(path, line, code, message, severity, template, tuple(map(tuple, params)))
                 for line, code, message, severity, template, params in problems]
        return cls(str(sha), str(case_id), str(kind), list(names), info, found, data)


@dataclass
class Fresh:
    """The freshness manifest: what the index holds, and which index files make it up."""

    version: str
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    index_files: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    """Indexed documents by kind ("case", "entity")."""


def load_fresh(directory: Path | None, version: str) -> Fresh | None:
    """The manifest, or None when missing, unreadable or of another schema version."""
    data = _load(directory, FRESH)
    try:
        if data is None or data["version"] != version:
            return None
        files = data["files"]
        if type(files) is not dict or not all(type(v) is tuple and len(v) == 2 for v in files.values()):
            return None
        counts = {str(k): int(v) for k, v in data.get("counts", {}).items()}
        return Fresh(version, files, {str(k): int(v) for k, v in data["index_files"].items()}, counts)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def save_fresh(directory: Path, fresh: Fresh) -> None:
    """Write the manifest atomically."""
    data = {"version": fresh.version, "index_files": fresh.index_files, "counts": fresh.counts,
            "files": fresh.files}
    write_private(directory / FRESH, marshal.dumps(data))


class Entries(dict[str, Entry]):
    """The catalog in memory: path -> Entry, remembering what changed since the last save."""

    def __init__(self, *args: Any, all_changed: bool = False) -> None:
        super().__init__(*args)
        self.changed: set[str] = set()
        self.all_changed = all_changed
        """True when what is on disk is unknown (a new index): a save writes every shard."""
        self.members: list[set[str]] | None = None
        """The paths of each shard as of the last save (see `_members`)."""

    def __setitem__(self, path: str, entry: Entry) -> None:
        super().__setitem__(path, entry)
        self.changed.add(path)

    def __delitem__(self, path: str) -> None:
        super().__delitem__(path)
        self.changed.add(path)

    def pop(self, path: str, *default: Any) -> Any:
        self.changed.add(path)
        return super().pop(path, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for path, entry in dict(*args, **kwargs).items():
            self[path] = entry


def load_catalog(directory: Path | None) -> Entries | None:
    """Per-file entries, or None when missing or unreadable."""
    head = _load(directory, CATALOG)
    try:
        if head is None or head["format"] != FORMAT or sorted(head["shards"]) != list(range(SHARDS)):
            return None
        loaded: dict[str, Entry] = {}
        for number in range(SHARDS):
            data = _load(directory, _shard_name(number))
            if data is None:
                return None
            loaded.update((str(path), Entry.from_json(path, item)) for path, item in data.items())
        return Entries(loaded)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def save_catalog(directory: Path, entries: Mapping[str, Entry]) -> None:
    """Write the catalog: with `Entries`, only the shards holding what changed since the
    last save (one edit rewrites one of SHARDS files, not 50,000 entries), else all."""
    touched = set(range(SHARDS))
    if isinstance(entries, Entries) and not entries.all_changed:
        touched = {_shard_of(path) for path in entries.changed}
    members = _members(entries)
    for number in touched:
        data = {path: entries[path].to_json() for path in members[number]}
        write_private(directory / _shard_name(number), marshal.dumps(data))
    if touched:
        write_private(directory / CATALOG, marshal.dumps({"format": FORMAT, "shards": list(range(SHARDS))}))
    if isinstance(entries, Entries):
        entries.changed.clear()
        entries.all_changed = False


def _members(entries: Mapping[str, Entry]) -> list[set[str]]:
    """The paths of each shard: kept on an `Entries` and moved by what changed (a pass over
    every path, 50 ms at 50,000 files, only once per process)."""
    members: list[set[str]] | None = getattr(entries, "members", None)
    if members is None or not isinstance(entries, Entries):
        members = [set() for _ in range(SHARDS)]
        for path in entries:
            members[_shard_of(path)].add(path)
        if isinstance(entries, Entries):
            entries.members = members
        return members
    for path in entries.changed:
        (members[_shard_of(path)].add if path in entries else members[_shard_of(path)].discard)(path)
    return members


_SHARD_OF: dict[str, int] = {}


def _shard_of(path: str) -> int:
    """The catalog shard of a path (remembered: every save looks up every path)."""
    shard = _SHARD_OF.get(path)
    if shard is None:
        shard = _SHARD_OF[path] = zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS
    return shard


def _shard_name(number: int) -> str:
    return f"catalog-{number:02}.marshal"


def _load(directory: Path | None, name: str) -> Any:
    """The data of a side file, or None when missing or garbled."""
    if directory is None:
        return None
    try:
        return marshal.loads((directory / name).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def stamp(directory: Path | None, name: str) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of a side file: unchanged means not rewritten since (rename = new inode)."""
    try:
        info = os.stat(directory / name) if directory is not None else None
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns) if info else None


def index_files(directory: Path) -> dict[str, int]:
    """Name -> size of the Whoosh files in the folder."""
    return {e.name: e.stat().st_size for e in os.scandir(directory)
            if e.name.startswith(INDEX_PREFIXES) and not e.name.endswith("LOCK")
            and e.is_file(follow_symlinks=False)}


def intact(directory: Path, recorded: Mapping[str, int]) -> bool:
    """True when every recorded index file is still there with its size (no truncation)."""
    if not recorded:
        return False
    try:
        return all(os.stat(directory / name).st_size == size for name, size in recorded.items())
    except OSError:
        return False


@dataclass
class Diff:
    """Files found by the walk compared with the manifest."""

    added: list[FileStat] = field(default_factory=list)
    changed: list[FileStat] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def diff_stamps(found: Mapping[str, tuple[int, int]], known: Mapping[str, tuple[int, int]],
                only: Iterable[str] | None = None) -> Diff:
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


def kind_counts(entries: Mapping[str, Entry]) -> dict[str, int]:
    """How many indexed cases and entity pages there are."""
    found = Counter(map(attrgetter("kind"), entries.values()))  # counted in C
    return {"case": found["case"], "entity": found["entity"]}


def entry_for(case: Case, names: list[str], problems: list[Problem]) -> Entry:
    """The catalog entry of a file just read."""
    entity = EntityInfo(case.entity_type or "unknown", (case.title, *case.aliases)) if case.is_entity else None
    return Entry(case.sha256, case.id, case.kind, names, entity, problems)


def alias_map(entries: Mapping[str, Entry]) -> dict[str, EntityInfo]:
    """normalize_name(name or alias) -> its entity page (the first page by path wins)."""
    found: dict[str, EntityInfo] = {}
    pages = sorted(((path, entry.entity) for path, entry in entries.items() if entry.entity is not None),
                   key=lambda page: page[0])
    for _path, entity in pages:
        for name in entity.names:
            found.setdefault(normalize_name(name), entity)
    return found


def naming(entries: Mapping[str, Entry], keys: set[str]) -> list[str]:
    """Paths of the files that name any of `keys`."""
    return [path for path, entry in entries.items() if keys.intersection(entry.names)]


def duplicate_ids(entries: Mapping[str, Entry]) -> list[Problem]:
    """A `duplicate-id` problem for each file whose id an earlier file (by path) took."""
    first: dict[str, str] = {}
    problems = []
    for path in sorted(entries):
        key = entries[path].id.casefold()
        if key in first:
            problems.append(problem(path, 2, "duplicate-id", "id '{id}' is already used by {other}",
                                    id=entries[path].id, other=first[key]))
        else:
            first[key] = path
    return problems


