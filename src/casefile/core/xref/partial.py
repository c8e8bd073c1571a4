"""A cross-reference holding only what one answer needs, read from a view (view.py).

It is an `Xref` whose name tables come from the view whole (resolution needs them) and
whose reverse maps and resolved links are filled per entity or per file from the view's
shards, so `entity_xref`, `case_xref` and `Xref.resolve` run unchanged on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from casefile.core.xref.mentions import name_key
from casefile.core.xref.registry import CaseLinks, Entity, Place, Xref
from casefile.core.xref.resolve import Files


class ViewBroken(Exception):
    """A shard of the view could not be read: answer from the whole cross-reference."""


Loader = Callable[[str, str], "dict[str, Any] | None"]
"""(kind "k" or "p", entity key or path) -> its shard's data, or None when it cannot be read."""


@dataclass(frozen=True, slots=True)
class Meta:
    """What the query functions read of a file's record: its listing form."""

    path: str
    id: str
    title: str
    date: str | None
    kind: str

    @property
    def title_key(self) -> str:
        """The title as resolution compares it (as `Record.title_key`)."""
        return name_key(self.title)

    @staticmethod
    def entity(key: str, name: str, type_: str, aliases: list[str], page: str | None) -> Entity:
        """An entity of the registry from its view row."""
        return Entity(key, name, type_, list(aliases), page)


class MetaTable(Mapping[str, Meta]):
    """Path -> Meta, made on access from the view's rows (100,000 objects are never all made)."""

    def __init__(self, rows: dict[str, tuple[str, str, str | None, str]]) -> None:
        self._rows = rows

    def __getitem__(self, path: str) -> Meta:
        """The listing form of the file at `path`."""
        return Meta(path, *self._rows[path])

    def __contains__(self, path: object) -> bool:
        """True for a note of the folder."""
        return path in self._rows

    def __iter__(self) -> Iterator[str]:
        """Paths, in path order (as `Xref.records`)."""
        return iter(self._rows)

    def __len__(self) -> int:
        """Number of notes."""
        return len(self._rows)

    def ids(self) -> dict[str, str]:
        """Path -> id of every note (no Meta made)."""
        return {path: row[0] for path, row in self._rows.items()}


class PartialXref(Xref):
    """An `Xref` from a view: name tables whole, reverse maps and links per key or path asked."""

    def __init__(self, names: dict[str, Any], entities: dict[str, Entity], dangling: dict[str, Entity],
                 load: Loader) -> None:
        self.records = MetaTable(names["meta"])  # type: ignore[assignment]
        self.files = Files.__new__(Files)
        self.files.exact, self.files.by_name = names["exact"], names["by_name"]
        self.case_by_id, self.case_by_title = names["case_by_id"], names["case_by_title"]
        self.case_by_alias, self.lookup = names["case_by_alias"], names["lookup"]
        self.page_key, self.shared_names = names["page_key"], names["shared_names"]
        self.entities = entities
        self.dangling = dangling
        self.refs = {}
        self._load = load
        self._reversed = True  # the reverse maps are filled per key or path asked (`load_key`, `load_case`)
        self._listing: dict[str, list[str]] = {}
        self._linking: dict[str, list[Place]] = {}
        self._backlinks: dict[str, list[Place]] = {}
        self._appears: dict[str, list[str]] = {}
        self.mentioned = {}
        self._counted: dict[str, list[str]] = {}

    def counted(self, path: str) -> list[str]:
        """The entities of a case that count for co-occurrence (of the cases of the keys loaded)."""
        return self._counted[path]

    def load_key(self, key: str) -> None:
        """Read the reverse maps of one entity (or dangling name); ViewBroken when its shard is unreadable."""
        data = self._read("k", key)
        for field, target in (("listing", self._listing), ("linking", self._linking),
                              ("mentioned", self.mentioned), ("appears", self._appears)):
            if key in data[field]:
                target[key] = data[field][key]
        for path in self._appears.get(key, ()):
            self._counted[path] = data["counted"][path]

    def load_case(self, path: str) -> None:
        """Read one file's resolved links and backlinks, and its entities' reverse maps."""
        data = self._read("p", path)
        listed, linked, links = data["refs"][path]  # its ambiguous links are the problem list's, not an answer's
        self.refs[path] = CaseLinks(dict.fromkeys(listed), dict.fromkeys(linked), links)
        if path in data["backlinks"]:
            self._backlinks[path] = data["backlinks"][path]
        for key in {**self.refs[path].listed, **self.refs[path].linked}:
            self.load_key(key)

    def _read(self, kind: str, text: str) -> dict[str, Any]:
        """The shard of the view holding a key or path."""
        data = self._load(kind, text)
        if data is None:
            raise ViewBroken(f"cross-reference view: the shard of {text!r} is unreadable")
        return data
