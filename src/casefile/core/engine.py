"""The search-engine boundary: what the rest of casefile asks of an index (no Whoosh here).

The Archive writes documents (the plain field values of core/index/documents.py) and searches
through a SearchEngine; core/index/engine.py is the Whoosh-backed one. A damaged index
shows as IndexDamaged, raised where its files are read, never guessed from a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the analyzers' imports cost a no-change check ~10 ms it never needs
    from casefile.core.text.analysis import Highlight


class IndexDamaged(Exception):
    """The index files could not be decoded: the caller rebuilds the index."""


@dataclass(frozen=True)
class Ranked:
    """One search's answer: the full count, the top hits, tag counts over every match."""

    total: int
    hits: tuple[tuple[dict[str, Any], float], ...]
    """(stored fields, score) of the top hits, best first."""
    tags: tuple[tuple[str, int], ...]
    """(tag, matching documents), most frequent first."""
    notice: str | None
    """Something to tell the user about the query (an unknown field, a query read as words)."""
    highlight: Highlight
    """The words to mark in snippets."""


class Storage(Protocol):
    """Where an index's files are, a folder or memory (a Whoosh Storage behind core/index)."""

    def file_exists(self, name: str) -> bool:
        """True when the storage holds a file of that name."""


class IndexFiles(Protocol):
    """An open index that the Indexer writes to (a Whoosh FileIndex behind core/index)."""

    def latest_generation(self) -> int:
        """The number of the last commit."""

    def doc_count(self) -> int:
        """Live documents in the last commit."""


class Segment(Protocol):
    """A segment written by a worker process, joined to the parent's commit."""

    def segment_id(self) -> str:
        """The segment's unique name."""


class Writing(Protocol):
    """One batch of changes, invisible to searches until committed."""

    def add(self, doc: dict[str, Any]) -> None:
        """Index one document (core/index/documents.py's field values)."""

    def delete(self, paths: Iterable[str]) -> None:
        """Remove the documents of these files."""

    def adopt(self, segments: list[Segment]) -> None:
        """Join segments written by worker processes to this commit."""

    def commit(self, merge: bool = True) -> None:
        """Make the changes visible; without `merge`, leave existing segments alone."""

    def cancel(self) -> None:
        """Drop the changes and release the lock."""


class SearchEngine(Protocol):
    """An index of documents that can be searched and changed."""

    def writer(self, limitmb: int) -> Writing:
        """A batch of changes, holding the index's write lock."""

    def search(self, text: str, limit: int | None, sort: str) -> Ranked | None:
        """Search the last commit (None when nothing was ever committed); sort is
        "relevance" or "date" (newest first, undated last)."""

    def close(self) -> None:
        """Release open files."""
