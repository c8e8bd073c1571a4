"""The catalog in memory: per indexed file its hash, id, the names it refers to, its entity
page data and its problems (read from disk only when something changed or when asked
for problems; catalog_files.py keeps it on disk).

`Entries` remembers what changed since its base was written, how many entries there are
of each kind, and the alias map of its entity pages, so a one-file refresh never passes
over every entry.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from casefile.core.model import Case, EntityInfo, Problem, problem
from casefile.core.text.names import normalize_name


@dataclass(slots=True)
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

    def to_json(self, keep: bool = True) -> list[Any]:
        """A compact form of plain lists (for marshal); kept for the next time unless not `keep`
        (a whole catalog written at once: ~200 bytes a file held for nothing)."""
        if self.saved is not None:
            return self.saved
        entity = [self.entity.type, list(self.entity.names)] if self.entity else None
        problems = [[p.line, p.code, p.message, p.severity, p.template, list(p.params)]
                    for p in self.problems]
        saved = [self.sha, self.id, self.kind, self.names, entity, problems]
        if keep:
            self.saved = saved
        return saved

    def shared(self) -> Entry:
        """This entry, its kind and names the strings every other entry uses (an entry sent by a
        worker process has copies of its own: ~300 bytes a file in the parent)."""
        self.kind = sys.intern(self.kind)
        self.names = [sys.intern(name) for name in self.names]
        return self

    @classmethod
    def from_json(cls, path: str, data: list[Any]) -> Entry:
        """Inverse of to_json (raises on malformed data); `data` is not kept: at 100k files
        it held 26 MB of the reader's heap, and a shard rewrite makes it again in ~1.5 ms."""
        sha, case_id, kind, names, entity, problems = data
        info = EntityInfo(str(entity[0]), tuple(entity[1])) if entity else None
        found = [Problem(path, line, code, message, severity, template, tuple(map(tuple, params)))
                 for line, code, message, severity, template, params in problems]
        return cls(str(sha), str(case_id), str(kind), list(names), info, found)


class Entries(dict[str, Entry]):
    """The catalog in memory: path -> Entry, remembering what changed since its base was written."""

    def __init__(self, *args: Any, all_changed: bool = False) -> None:
        super().__init__(*args)
        self.changed: set[str] = set()
        """Paths set or removed since the base on disk was written."""
        self.all_changed = all_changed
        """True when what is on disk is unknown (a new index): a save writes every shard."""
        self.generation: int | None = None
        """The base on disk that `changed` is counted from (None: none known)."""
        self.members: list[set[str]] | None = None
        """The paths of each shard as of the last base written (see catalog_files)."""
        self.kinds: Counter[str] = Counter(map(attrgetter("kind"), self.values()))  # counted in C
        self._aliases: dict[str, EntityInfo] | None = None

    def __setitem__(self, path: str, entry: Entry) -> None:
        self._forget(path)
        super().__setitem__(path, entry)
        self.kinds[entry.kind] += 1
        self._aliases = None if entry.entity is not None else self._aliases

    def __delitem__(self, path: str) -> None:
        if path not in self:
            raise KeyError(path)
        self._forget(path)
        super().__delitem__(path)

    def pop(self, path: str, *default: Any) -> Any:
        self._forget(path)
        return super().pop(path, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for path, entry in dict(*args, **kwargs).items():
            self[path] = entry

    def _forget(self, path: str) -> None:
        """Note that the entry of `path` is replaced or removed."""
        self.changed.add(path)
        old = self.get(path)
        if old is not None:
            self.kinds[old.kind] -= 1
            self._aliases = None if old.entity is not None else self._aliases

    def aliases(self) -> dict[str, EntityInfo]:
        """alias_map of these entries (kept until an entity page changes)."""
        if self._aliases is None:
            self._aliases = _alias_map(self)
        return self._aliases


def kind_counts(entries: Mapping[str, Entry]) -> dict[str, int]:
    """How many indexed cases and entity pages there are."""
    found = entries.kinds if isinstance(entries, Entries) else Counter(map(attrgetter("kind"), entries.values()))
    return {"case": found["case"], "entity": found["entity"]}


def entry_for(case: Case, names: list[str], problems: list[Problem]) -> Entry:
    """The catalog entry of a file just read."""
    entity = EntityInfo(case.entity_type or "unknown", (case.title, *case.aliases)) if case.is_entity else None
    return Entry(case.sha256, case.id, case.kind, names, entity, problems)


def alias_map(entries: Mapping[str, Entry]) -> dict[str, EntityInfo]:
    """normalize_name(name or alias) -> its entity page (the first page by path wins; not to be changed)."""
    return entries.aliases() if isinstance(entries, Entries) else _alias_map(entries)


def _alias_map(entries: Mapping[str, Entry]) -> dict[str, EntityInfo]:
    """alias_map, computed."""
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
