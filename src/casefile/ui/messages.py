"""What the worker glue posts to the app: plain data from the core, wrapped in messages.

Each message names its handler; the app routes them to the panes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from casefile.core.model import Case, Problem, SearchResult
from casefile.core.xref.model import CaseXref, EntitySummary, EntityXref, Resolution
from casefile.ui.embeds import Embedded, EmbedKey

if TYPE_CHECKING:
    from casefile.core.archive.facade import RefreshReport

Sort = Literal["relevance", "date"]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What to search: the query, the order and how many hits to load."""

    query: str
    sort: Sort = "relevance"
    limit: int = 200
    more: bool = False
    """True when this loads more hits for the query already shown."""


@dataclass
class ArchiveReady(Message):
    """The archive is open (searchable, maybe not yet fresh); `on_archive_ready`."""


@dataclass
class IndexProgress(Message):
    """Indexing went on; `on_index_progress`."""

    done: int
    """Files indexed so far."""
    total: int
    """Files to index in this refresh."""


@dataclass
class IndexDone(Message):
    """A refresh finished; `on_index_done`."""

    report: RefreshReport
    problem_count: int | None
    """How many problems the folder has (None: unchanged since the last count)."""


@dataclass
class ProblemsLoaded(Message):
    """The folder's problems, read for the problem list (F8); `on_problems_loaded`."""

    problems: list[Problem]


@dataclass
class SearchDone(Message):
    """A search finished; `on_search_done`."""

    request: SearchRequest
    result: SearchResult


@dataclass(frozen=True, slots=True)
class CaseBundle:
    """A case with what the reading side needs beside it, all read off the UI thread."""

    case: Case
    xref: CaseXref | None
    resolutions: dict[str, Resolution]
    """Its link targets and entity names, resolved (only the dangling ones when `xref_deferred`)."""
    xref_deferred: bool = False
    """True when the cross-reference was not read (its pane was hidden): read it when shown."""
    embeds: dict[EmbedKey, Embedded] = field(default_factory=dict)
    """Its `![[...]]` embeds, read (notes) or measured (attachments)."""

    def resolve(self, target: str) -> Resolution | None:
        """The resolution of one of the case's targets (None when unknown)."""
        return self.resolutions.get(target)


@dataclass
class CaseLoaded(Message):
    """A case was read; `on_case_loaded`."""

    ref: str
    """The id or path asked for."""
    bundle: CaseBundle | None
    """The case and what goes with it (None when it is gone)."""
    record: bool
    """True to add it to the history (False when moving in it, or reloading)."""
    anchor: str = ""
    """The heading or `^blockid` a followed link asked to open it at."""
    ticket: int = 0
    """The reader's number for the request (an answer to an earlier one than its last is dropped)."""


@dataclass
class CaseXrefLoaded(Message):
    """The cross-reference of a case shown without it was read; `on_case_xref_loaded`."""

    case_id: str
    xref: CaseXref | None


@dataclass
class EntityLoaded(Message):
    """An entity's cross-reference was read; `on_entity_loaded`."""

    name: str
    """The name asked for."""
    entity: EntityXref | None
    """None when no entity has that name."""


@dataclass
class EntitiesLoaded(Message):
    """Every entity with its counts, for the entity browser; `on_entities_loaded`."""

    entities: list[EntitySummary]


@dataclass
class TargetMissing(Message):
    """A followed link resolves to nothing; `on_target_missing`."""

    target: str
