"""Records of every file -> the entity registry, resolved links and reverse maps; pure.

Resolution follows the format: a case id, then an entity name or alias, then a case
title, all compared by `normalize_name` (case, accents, spaces ignored). Entities come
from entity pages (name, type, aliases), from names listed under `entities:`, and
from link targets that are not cases; an entity only links create is *dangling*.
Ties are broken by path order, so the answer never depends on the order files were read.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casefile.core.mentions import mention_key
from casefile.core.mentions import name_key as normalize_name
from casefile.core.model import Problem, problem
from casefile.core.sanitize import clean_line
from casefile.core.xref_model import Resolution
from casefile.core.xref_record import Record

Ref = tuple[str, str]
"""("case", path), ("entity", entity key) or, for a link, ("dangling", entity key)."""
Place = tuple[str, int | None, str]
"""(path, line, context) of a link or mention."""


@dataclass(slots=True)
class Entity:
    """One entity of the registry (mutable while the registry is built)."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    page: str | None = None
    """Path of its entity page."""
    dangling: bool = False


@dataclass(slots=True)
class CaseLinks:
    """How one file refers to others once resolved."""

    listed: dict[str, None] = field(default_factory=dict)
    """Entity keys listed, in order (a dict used as an ordered set)."""
    linked: dict[str, None] = field(default_factory=dict)
    links: list[tuple[str, int | None, str, Ref]] = field(default_factory=list)
    """(target, line, context, ref); a dangling link's ref is ("dangling", entity key)."""


class Xref:
    """The whole cross-reference of an archive, computed from its records."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records: dict[str, Record] = {r.path: r for r in sorted(records, key=lambda r: r.path)}
        self.case_by_id: dict[str, str] = {}
        self.case_by_title: dict[str, str] = {}
        self.entities: dict[str, Entity] = {}
        self.lookup: dict[str, str] = {}
        self.refs: dict[str, CaseLinks] = {}
        self._index_files()
        self._register_pages()
        # Listed names before links, so a name is dangling only if nothing lists it.
        for record in self.records.values():
            self.refs[record.path] = self._resolve_listed(record)
        for record in self.records.values():
            self._resolve_links(record, self.refs[record.path])
        self._reversed = False
        self._listing: dict[str, list[str]] = defaultdict(list)
        self._linking: dict[str, list[Place]] = defaultdict(list)
        self._backlinks: dict[str, list[Place]] = defaultdict(list)
        self._appears: dict[str, list[str]] = defaultdict(list)

    # The reverse maps and the mentions are computed on first use: `check` needs neither.

    @property
    def listing(self) -> dict[str, list[str]]:
        """Entity key -> paths of the files listing it."""
        self._reverse()
        return self._listing

    @property
    def linking(self) -> dict[str, list[Place]]:
        """Entity key -> every link to it."""
        self._reverse()
        return self._linking

    @property
    def backlinks(self) -> dict[str, list[Place]]:
        """Path -> every link to that file."""
        self._reverse()
        return self._backlinks

    @property
    def appears(self) -> dict[str, list[str]]:
        """Entity key -> paths of the cases listing or linking it."""
        self._reverse()
        return self._appears

    @functools.cached_property
    def mentioned(self) -> dict[str, list[Place]]:
        """Entity key -> one unlinked mention per file."""
        return self._mentions()

    def _index_files(self) -> None:
        """Case ids (of every file) and case titles, first path wins."""
        for record in self.records.values():
            self.case_by_id.setdefault(record.id_key, record.path)
            if record.kind == "case":
                self.case_by_title.setdefault(record.title_key, record.path)

    def _register_pages(self) -> None:
        """Entities of entity pages: names first, then aliases (a name beats an alias)."""
        pages = [r for r in self.records.values() if r.kind == "entity"]
        for page in pages:
            key = page.title_key
            if key not in self.entities:
                self.entities[key] = Entity(key, page.title, page.entity_type or "unknown", page=page.path)
                self.lookup[key] = key
        for page in pages:
            owner = self.entities[self.lookup[page.title_key]]
            for alias, alias_key in zip(page.aliases, page.alias_keys()):
                if alias_key and alias_key not in self.lookup:
                    self.lookup[alias_key] = owner.key
                    owner.aliases.append(alias)

    def _resolve_listed(self, record: Record) -> CaseLinks:
        """Resolve the names one file lists, creating the entities they name."""
        found = CaseLinks()
        for (kind, name), key in zip(record.listed, record.listed_keys()):
            ref = self._find_key(key, listed=True) or self._create(name, key, kind, dangling=False)
            if ref[0] == "case":
                found.links.append((name, None, "", ref))
            else:
                found.listed[ref[1]] = None
        return found

    def _resolve_links(self, record: Record, found: CaseLinks) -> None:
        """Resolve one file's wiki-links; a target that is nothing yet becomes dangling."""
        for (target, line, context), key in zip(record.links, record.link_keys()):
            ref = self._find_key(key) or self._create(target, key, "unknown", dangling=True)
            if ref[0] == "entity":
                found.linked[ref[1]] = None
                if self.entities[ref[1]].dangling:
                    ref = ("dangling", ref[1])
            found.links.append((target, line, context, ref))

    def _find(self, name: str, listed: bool = False) -> Ref | None:
        """Case id, entity name or alias, case title (not for listed names), or None."""
        return self._find_key(normalize_name(name), listed)

    def _find_key(self, key: str, listed: bool = False) -> Ref | None:
        """`_find` for a name already normalized."""
        path = self.case_by_id.get(key)
        if path is not None:
            page = self.records[path]
            if page.kind != "entity":
                return ("case", path)
            return ("entity", self.lookup[page.title_key])
        if key in self.lookup:
            return ("entity", self.lookup[key])
        if not listed and key in self.case_by_title:
            return ("case", self.case_by_title[key])
        return None

    def _create(self, name: str, key: str, kind: str, dangling: bool) -> Ref:
        """A new entity without a page."""
        self.entities[key] = Entity(key, name, kind or "unknown", dangling=dangling)
        self.lookup[key] = key
        return ("entity", key)

    def _reverse(self) -> None:
        """Who lists, links and appears with what (once)."""
        if self._reversed:
            return
        self._reversed = True
        for path, found in self.refs.items():
            is_case = self.records[path].kind == "case"
            for key in found.listed:
                self._listing[key].append(path)
            for _target, line, context, ref in found.links:
                if ref[0] == "case":
                    self._backlinks[ref[1]].append((path, line, context))
                elif line is not None:
                    self._linking[ref[1]].append((path, line, context))
            if is_case:
                for key in {**found.listed, **found.linked}:
                    self._appears[key].append(path)

    def _mentions(self) -> dict[str, list[Place]]:
        """Unlinked mentions per entity: files naming it without listing or linking it."""
        owner = self.mention_owners()
        mentioned: dict[str, list[Place]] = defaultdict(list)
        for path, record in self.records.items():
            found = self.refs[path]
            done: set[str] = set()
            for key, line, context in record.mentions:
                entity = owner.get(key)
                if entity is None or entity in done or entity in found.listed or entity in found.linked:
                    continue
                if self.entities[entity].page == path:
                    continue
                done.add(entity)
                mentioned[entity].append((path, line, context))
        return mentioned

    def mention_owners(self) -> dict[str, str]:
        """Mention key -> entity key, names before aliases."""
        owner: dict[str, str] = {}
        for entity in self.entities.values():
            owner.setdefault(mention_key(entity.name), entity.key)
        for entity in self.entities.values():
            for alias in entity.aliases:
                owner.setdefault(mention_key(alias), entity.key)
        return owner

    def resolve(self, target: str) -> Resolution:
        """What `target` names, by the format's order."""
        ref = self._find(target)
        if ref is None:
            return Resolution(target, "dangling")
        if ref[0] == "case":
            return Resolution(target, "case", case_id=self.records[ref[1]].id)
        entity = self.entities[ref[1]]
        return Resolution(target, "dangling" if entity.dangling else "entity", entity=entity.name)

    def entity_key(self, name: str) -> str | None:
        """The key of the entity `name` (or an alias, or its page id) names, if any."""
        ref = self._find(name, listed=True)
        return ref[1] if ref is not None and ref[0] == "entity" else None

    def problems(self) -> list[Problem]:
        """A `dangling-link` warning for every link that resolves to nothing."""
        found = []
        for path, links in self.refs.items():
            for target, line, _context, ref in links.links:
                if ref[0] == "dangling":
                    found.append(problem(path, line, "dangling-link", "[[{target}]] matches no case or entity",
                                         "warning", target=target))
        return found
