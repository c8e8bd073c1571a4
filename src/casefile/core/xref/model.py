"""Plain, frozen records of the cross-reference, handed to the command line and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casefile.core.model import Kind

ResolutionKind = Literal["case", "entity", "file", "dangling"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a link target or a name refers to, by the format's resolution order."""

    target: str
    """The name as asked."""
    kind: ResolutionKind
    """`case`, `entity`, `file` (an attachment: an image, a PDF...), or `dangling` (nothing)."""
    case_id: str | None = None
    """The case's id when `kind` is `case`."""
    entity: str | None = None
    """The entity's display name when `kind` is `entity` (or the name a dangling link uses)."""
    path: str | None = None
    """The relative path of the file it leads to (a case, an entity page, an attachment), or None."""


@dataclass(frozen=True, slots=True)
class CaseRef:
    """A file of the folder, as it appears in a list: id, title, date."""

    id: str
    title: str
    date: str | None
    kind: Kind = "case"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place where a file links to or mentions something: the line and its text."""

    id: str
    """The id of the file in which it occurs."""
    title: str
    line: int | None
    """1-based line in that file, or None when it comes from the front matter."""
    context: str
    """The line's text, sanitized and trimmed to about 120 characters."""
    date: str | None = None
    kind: Kind = "case"
    """`entity` when the file is an entity page."""


@dataclass(frozen=True, slots=True)
class NameCount:
    """An entity and a count: co-occurrences, or shared entities."""

    name: str
    type: str
    count: int
    page: str | None = None
    """The path of its entity page (same-named pages are different entities), or None."""


@dataclass(frozen=True, slots=True)
class DanglingName:
    """A name links use that resolves to nothing: listed as such, never as an entity."""

    name: str
    links: int
    """How many links use it."""
    files: int
    """How many files hold such a link."""


@dataclass(frozen=True, slots=True)
class EntityXref:
    """Everything the archive knows about one entity."""

    name: str
    type: str
    aliases: tuple[str, ...]
    page_id: str | None
    """The id of its entity page, when it has one."""
    dangling: bool
    """True when the entity exists only because links point to it."""
    cases_listing: tuple[CaseRef, ...]
    cases_linking: tuple[Occurrence, ...]
    """One occurrence per link (a file linking twice appears twice)."""
    unlinked_mentions: tuple[Occurrence, ...]
    """One occurrence per file: its first line naming the entity without a link."""
    cooccurring: tuple[NameCount, ...]
    """Entities listed or linked in the same cases, most shared first."""
    timeline: tuple[CaseRef, ...]
    """Cases listing or linking it, by date (undated last)."""
    page_path: str | None = None
    """The path of its entity page, when it has one."""


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity as one case refers to it."""

    name: str
    type: str
    listed: bool
    linked: bool
    page: str | None = None
    """The path of its entity page (of same-named pages, the one this case refers to), or None."""


@dataclass(frozen=True, slots=True)
class OutLink:
    """One wiki-link of a case and what it resolves to."""

    target: str
    line: int | None
    context: str
    resolution: Resolution


@dataclass(frozen=True, slots=True)
class RelatedCase:
    """A case that shares entities with another one."""

    id: str
    title: str
    date: str | None
    shared: int
    names: tuple[str, ...]
    """The shared entities' names."""


@dataclass(frozen=True, slots=True)
class CaseXref:
    """Everything the archive knows about one case (or entity page)."""

    id: str
    title: str
    path: str
    date: str | None
    kind: Kind
    entities: tuple[EntityRef, ...]
    links: tuple[OutLink, ...]
    backlinks: tuple[Occurrence, ...]
    related: tuple[RelatedCase, ...]
    """Cases sharing entities with this one, most shared first."""


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One line of `casefile entities`."""

    name: str
    type: str
    aliases: tuple[str, ...]
    cases: int
    """Cases listing or linking it."""
    mentions: int = 0
    """Files mentioning it without listing or linking it."""
    page_id: str | None = None
    dangling: bool = False


@dataclass(frozen=True, slots=True)
class DuplicateSuggestion:
    """Two entities whose names look like one: shown to the user, never merged."""

    first: str
    second: str
    reason: Literal["subset", "similar"]
    score: float
    """1.0 for a subset; the similarity ratio otherwise."""
    first_path: str | None = None
    """The path of the first one's entity page, or None (a listed name)."""
    second_path: str | None = None


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One entity of the network, keyed by its page's path (or, without a page, its name)."""

    id: str
    """The page's path, else the name (`name:` before it should a name equal a page's path)."""
    name: str
    label: str
    """The name, with the page's path after it when another entity has the same name."""
    type: str
    cases: int
    path: str | None = None
    """The path of its entity page, or None."""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """Two entities (node ids) appearing in `weight` cases together."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True, slots=True)
class Graph:
    """The entity co-occurrence network."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
