"""Records of every file -> the entity registry, resolved links and reverse maps; pure.

Resolution follows the format: a case id, then a file by path, path end or name (the
nearest file winning a tie: core/xref/resolve.py), then an entity name or alias (or a note's
alias), then a case title, all compared by `normalize_name` (case, accents, spaces
ignored). Entities come from entity pages (name, type, aliases) and from names listed
under `entities:`. A link target that is none of these is *dangling*: kept apart, never
an entity; a link to an attachment is neither. Identity is a path: each entity page is
its own entity, so same-named pages in different folders never merge, and a name several
pages share is resolved (listed, linked or mentioned) to the page nearest the file using
it. Other ties are broken by path order, so the answer never depends on the order files
were read.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casefile.core.model import Problem
from casefile.core.read.parse import MAX_COOCCURRING
from casefile.core.xref.dangling import Dangling, row_order, row_problem
from casefile.core.xref.mentions import mention_key
from casefile.core.xref.mentions import name_key as normalize_name
from casefile.core.xref.model import Resolution
from casefile.core.xref.record import MARKDOWN, Record
from casefile.core.xref.resolve import Files, Found, nearest

Ref = tuple[str, str]
"""("case", path), ("entity", entity key), ("file", attachment path) or, for a link,
("dangling", name key)."""
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
    """(target, line, context, ref); a dangling link's ref is ("dangling", name key)."""
    ambiguous: list[tuple[str, int | None, str]] = field(default_factory=list)
    """(target, line, chosen path) of links whose tie only path length or order broke."""


class Xref:
    """The whole cross-reference of an archive, computed from its records."""

    def __init__(self, records: Iterable[Record], attachments: Iterable[str] = ()) -> None:
        self.records: dict[str, Record] = {r.path: r for r in sorted(records, key=lambda r: r.path)}
        self.files = Files(self.records, attachments)
        self.case_by_id: dict[str, str] = {}
        self.case_by_title: dict[str, str] = {}
        self.case_by_alias: dict[str, str] = {}
        self.entities: dict[str, Entity] = {}
        self.dangling: dict[str, Entity] = {}
        """Name key -> what links to nothing are named (never an entity)."""
        self.lookup: dict[str, str] = {}
        self.page_key: dict[str, str] = {}
        """Entity page path -> the key of its entity."""
        self.shared_names: dict[str, list[str]] = {}
        """Name key -> the paths of the entity pages sharing that name (only names two or more share)."""
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
        """Case ids (of every file), case titles and notes' aliases, first path wins."""
        for record in self.records.values():
            self.case_by_id.setdefault(record.id_key, record.path)
            if record.kind == "case":
                self.case_by_title.setdefault(record.title_key, record.path)
                for key in record.alias_keys():
                    self.case_by_alias.setdefault(key, record.path)

    def _register_pages(self) -> None:
        """An entity per entity page (a second page of a name is keyed by its path), names
        first, then aliases (a name beats an alias)."""
        pages = [r for r in self.records.values() if r.kind == "entity"]
        named: dict[str, list[str]] = defaultdict(list)
        for page in pages:
            key = page.title_key if page.title_key not in self.lookup else "@" + page.path
            self.entities[key] = Entity(key, page.title, page.entity_type or "unknown", page=page.path)
            self.lookup.setdefault(page.title_key, key)
            self.lookup[key] = self.page_key[page.path] = key
            named[page.title_key].append(page.path)
        self.shared_names = {name: paths for name, paths in named.items() if len(paths) > 1}
        for page in pages:
            owner = self.entities[self.page_key[page.path]]
            for alias, alias_key in zip(page.aliases, page.alias_keys()):
                if alias_key and alias_key not in self.lookup:
                    self.lookup[alias_key] = owner.key
                    owner.aliases.append(alias)

    def _resolve_listed(self, record: Record) -> CaseLinks:
        """Resolve the names one file lists, creating the entities they name."""
        found = CaseLinks()
        for (kind, name), key in zip(record.listed, record.listed_keys()):
            ref = self._find_key(key, listed=True, from_path=record.path) or self._create(name, key, kind)
            if ref[0] == "case":
                found.links.append((name, None, "", ref))
            else:
                found.listed[ref[1]] = None
        return found

    def _resolve_links(self, record: Record, found: CaseLinks) -> None:
        """Resolve one file's links; a target that names nothing is dangling (not an entity)."""
        for (target, line, context, _anchor, flags), key in zip(record.links, record.link_keys()):
            ref, chosen = self._find_link(target, key, record.path, flags)
            if ref is None:
                self.dangling.setdefault(key, Entity(key, target, "dangling", dangling=True))
                ref = ("dangling", key)
            elif ref[0] == "entity":
                found.linked[ref[1]] = None
            if chosen is not None and chosen.ambiguous:
                found.ambiguous.append((target, line, chosen.path))
            found.links.append((target, line, context, ref))

    def _find_link(self, target: str, key: str, from_path: str, flags: int) -> tuple[Ref | None, Found | None]:
        """What one link names (and the file found, for its tie-break)."""
        if not target:
            return ("case", from_path), None  # [[#Heading]]: the same note
        if not flags & MARKDOWN and key in self.case_by_id:
            return self._find_key(key), None
        chosen = self.files.find_link(target, from_path, bool(flags & MARKDOWN))
        if chosen is not None:
            return self._file_ref(chosen.path), chosen
        return self._find_key(key, from_path=from_path), None

    def _file_ref(self, path: str) -> Ref:
        """A file as a link reaches it: a case, an entity (its page) or an attachment."""
        record = self.records.get(path)
        if record is None:
            return ("file", path)
        if record.kind == "entity":
            return ("entity", self.page_key[path])
        return ("case", path)

    def _find(self, name: str, listed: bool = False, from_path: str = "") -> Ref | None:
        """Case id, file, entity name or alias, case title (not for listed names), or None."""
        key = normalize_name(name)
        if listed or key in self.case_by_id:
            return self._find_key(key, listed, from_path)
        relative = bool(from_path) and name.startswith(("../", "./"))  # only a Markdown link's path reads so
        chosen = self.files.find_link(name, from_path, markdown=relative)
        return self._file_ref(chosen.path) if chosen is not None else self._find_key(key, from_path=from_path)

    def _find_key(self, key: str, listed: bool = False, from_path: str = "") -> Ref | None:
        """A case id, entity name or alias, note alias or case title (files: see `_find`);
        of entity pages sharing a name, the one nearest `from_path`."""
        path = self.case_by_id.get(key)
        if path is not None:
            return self._file_ref(path)
        if key in self.shared_names:
            return ("entity", self.page_key[nearest(self.shared_names[key], from_path).path])
        if key in self.lookup:
            return ("entity", self.lookup[key])
        if not listed and key in self.case_by_alias:
            return ("case", self.case_by_alias[key])
        if not listed and key in self.case_by_title:
            return ("case", self.case_by_title[key])
        return None

    def _create(self, name: str, key: str, kind: str) -> Ref:
        """A new entity without a page (a name listed under `entities:`)."""
        self.entities[key] = Entity(key, name, kind or "unknown")
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
                elif ref[0] != "file" and line is not None:
                    self._linking[ref[1]].append((path, line, context))
            if is_case:
                for key in {**found.listed, **found.linked}:
                    self._appears[key].append(path)

    def _mentions(self) -> dict[str, list[Place]]:
        """Unlinked mentions per entity: files naming it without listing or linking it (a name
        several pages share: the page nearest the file)."""
        owner, shared = self.mention_owners(), self.shared_mentions()
        mentioned: dict[str, list[Place]] = defaultdict(list)
        for path, record in self.records.items():
            for entity, place in self.file_mentions(record, self.refs[path], owner, shared):
                mentioned[entity].append(place)
        return mentioned

    def shared_mentions(self) -> dict[str, list[str]]:
        """Mention key -> the paths of the entity pages sharing that name."""
        return {mention_key(self.entities[self.page_key[paths[0]]].name): paths
                for paths in self.shared_names.values()}

    def file_mentions(self, record: Record, found: CaseLinks, owner: dict[str, str],
                      shared: dict[str, list[str]]) -> list[tuple[str, Place]]:
        """The unlinked mentions of one file, as (entity key, place), one per entity."""
        path, done = record.path, set()
        mentions: list[tuple[str, Place]] = []
        for key, line, context in record.mentions:
            pages = shared.get(key)
            entity = self.page_key[nearest(pages, path).path] if pages else owner.get(key)
            if entity is None or entity in done or entity in found.listed or entity in found.linked:
                continue
            if self.entities[entity].page == path:
                continue
            done.add(entity)
            mentions.append((entity, (path, line, context)))
        return mentions

    def mention_owners(self) -> dict[str, str]:
        """Mention key -> entity key, names before aliases."""
        owner: dict[str, str] = {}
        for entity in self.entities.values():
            owner.setdefault(mention_key(entity.name), entity.key)
        for entity in self.entities.values():
            for alias in entity.aliases:
                owner.setdefault(mention_key(alias), entity.key)
        return owner

    def resolve(self, target: str, from_path: str = "") -> Resolution:
        """What `target` names, by the format's order (ties: the file nearest `from_path`)."""
        ref = self._find(target, from_path=from_path)
        if ref is None:
            key = normalize_name(target)
            return self.resolution(target, ("dangling", key)) if key in self.dangling else \
                Resolution(target, "dangling")
        return self.resolution(target, ref)

    def resolution(self, target: str, ref: Ref) -> Resolution:
        """A resolved reference as a Resolution record (with the path it leads to)."""
        if ref[0] == "dangling":
            return Resolution(target, "dangling", entity=self.dangling[ref[1]].name)
        if ref[0] == "file":
            return Resolution(target, "file", path=ref[1])
        if ref[0] == "case":
            return Resolution(target, "case", case_id=self.records[ref[1]].id, path=ref[1])
        entity = self.entities[ref[1]]
        return Resolution(target, "entity", entity=entity.name, path=entity.page)

    def entity_key(self, name: str) -> str | None:
        """The key of the entity `name` (or an alias, its page id or path) names, if any;
        a name only dangling links use has a key too (its `entity_or_dangling`)."""
        if name in self.page_key:
            return self.page_key[name]
        ref = self._find_key(normalize_name(name), listed=True)
        if ref is not None and ref[0] == "entity":
            return ref[1]
        key = normalize_name(name)
        return key if key in self.dangling and self._find(name) is None else None

    def link_paths(self, path: str) -> list[str | None]:
        """The relative path each link of the file at `path` leads to (None: dangling), in order."""
        record, found = self.records.get(path), self.refs.get(path)
        if record is None or found is None:
            return []
        refs = [ref for _target, _line, _context, ref in found.links[len(found.links) - len(record.links):]]
        return [self.resolution("", ref).path if ref[0] != "dangling" else None for ref in refs]

    def load_key(self, key: str) -> None:
        """Make sure the reverse maps of `key` are here (they all are: see PartialXref)."""

    def load_case(self, path: str) -> None:
        """Make sure what `case_xref` reads of `path` is here (it all is: see PartialXref)."""

    def counted(self, path: str) -> list[str]:
        """The entities of the case at `path` that count for co-occurrence."""
        return counted_keys(self.refs[path])

    def entity_or_dangling(self, key: str) -> Entity:
        """The entity of `key`, or the dangling name it is."""
        return self.entities.get(key) or self.dangling[key]

    def problems(self) -> list[Problem]:
        """A `dangling-link` warning per link that names nothing, `ambiguous-link` per tie
        broken by path length or order (the same list as xref_dangling.dangling_links)."""
        rows: list[Dangling] = []
        for path, links in self.refs.items():
            rows += [(path, line, target, None) for target, line, _context, ref in links.links if ref[0] == "dangling"]
            rows += [(path, line, target, chosen) for target, line, chosen in links.ambiguous]
        return [row_problem(row) for row in sorted(rows, key=row_order)]


def counted_keys(found: CaseLinks) -> list[str]:
    """The entities of one file that count for co-occurrence: the first `MAX_COOCCURRING`."""
    keys = list(found.listed)[:MAX_COOCCURRING]
    if len(keys) < MAX_COOCCURRING:
        keys += [key for key in found.linked if key not in found.listed][:MAX_COOCCURRING - len(keys)]
    return keys
