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


class ArchiveReady(Message):
    """The archive is open (searchable, maybe not yet fresh); `on_archive_ready`."""


class IndexProgress(Message):
    """Indexing went on: `done` of `total` files; `on_index_progress`."""

    def __init__(self, done: int, total: int) -> None:
        """Carry the counts."""
        super().__init__()
        self.done, self.total = done, total


class IndexDone(Message):
    """A refresh finished; `on_index_done`."""

    def __init__(self, report: RefreshReport, problem_count: int | None) -> None:
        """Carry the report and how many problems the folder has (None: unchanged since the last one)."""
        super().__init__()
        self.report, self.problem_count = report, problem_count


class ProblemsLoaded(Message):
    """The folder's problems, read for the problem list (F8); `on_problems_loaded`."""

    def __init__(self, problems: list[Problem]) -> None:
        """Carry the problems."""
        super().__init__()
        self.problems = problems


class SearchDone(Message):
    """A search finished; `on_search_done`."""

    def __init__(self, request: SearchRequest, result: SearchResult) -> None:
        """Carry the request and its answer."""
        super().__init__()
        self.request, self.result = request, result


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


class CaseLoaded(Message):
    """A case was read (`bundle` None when it is gone); `on_case_loaded`."""

    def __init__(self, ref: str, bundle: CaseBundle | None, record: bool, anchor: str = "") -> None:
        """Carry the id or path asked for, the case, whether to add it to the history, and the
        heading or `^blockid` a followed link asked to open it at."""
        super().__init__()
        self.ref, self.bundle, self.record, self.anchor = ref, bundle, record, anchor


class CaseXrefLoaded(Message):
    """The cross-reference of a case shown without it was read; `on_case_xref_loaded`."""

    def __init__(self, case_id: str, xref: CaseXref | None) -> None:
        """Carry the case id and its cross-reference."""
        super().__init__()
        self.case_id, self.xref = case_id, xref


class EntityLoaded(Message):
    """An entity's cross-reference was read (None when unknown); `on_entity_loaded`."""

    def __init__(self, name: str, entity: EntityXref | None) -> None:
        """Carry the name asked for and the entity."""
        super().__init__()
        self.name, self.entity = name, entity


class EntitiesLoaded(Message):
    """Every entity with its counts, for the entity browser; `on_entities_loaded`."""

    def __init__(self, entities: list[EntitySummary]) -> None:
        """Carry the summaries."""
        super().__init__()
        self.entities = entities


class TargetMissing(Message):
    """A followed link resolves to nothing; `on_target_missing`."""

    def __init__(self, target: str) -> None:
        """Carry the target."""
        super().__init__()
        self.target = target
