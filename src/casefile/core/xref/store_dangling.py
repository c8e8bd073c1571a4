"""The dangling links of a store (its problems), kept in a side file beside the header.

`save` writes them to a small side file, so the reader's problem count and list need
none of the records; when it is missing or older than the header they are found again
shard by shard, without keeping the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from casefile.core.model import Problem
from casefile.core.xref.dangling import (
    Dangling,
    Skeleton,
    dangling_links,
    read_saved,
    row_problem,
    shard_skeletons,
    write_saved,
)
from casefile.core.xref.files import FORMAT
from casefile.core.xref.store_state import FILE_NAME, StoreState, stamp

PROBLEMS_FILE = f"xref-v{FORMAT}.dangling.marshal"
"""Dangling links as of one version of the header (its stamp, inode, size and mtime, is kept
in it): the rows of the files changed since the base in PROBLEMS_BASE."""
PROBLEMS_BASE = f"xref-v{FORMAT}.dangling-base.marshal"
"""Every dangling link as of one save (a random number names it)."""
RECENT_LIMIT = 1000
"""Files whose rows PROBLEMS_FILE holds at most; past it a new base is written."""


class DanglingSide(StoreState):
    """The dangling links: from the side file when it is fresh, else found and saved."""

    def problems(self) -> list[Problem]:
        """A `dangling-link` warning, with its line, for every link that resolves to nothing."""
        return self._index().problems()

    def dangling(self) -> list[Dangling]:
        """(path, line, target) of every link that resolves to nothing (see `_dangling_now`)."""
        with self._lock:
            return self._dangling_now()

    def _dangling_now(self) -> list[Dangling]:
        """(path, line, target) of every link that resolves to nothing, without the records.

        Read from the side file `save` writes; when it is missing or older than the header,
        found again shard by shard (about a second at 50,000 files) and written.
        """
        if self._dirty and self._dangling is not None:  # an update is under way (maybe in another
            return self._dangling[1]  # thread): the list as last saved, not a walk of changing shards
        self._follow_disk()  # records kept in memory must not be older than the shard files
        if self._directory is None or self._dirty or self.needs_rebuild:
            return dangling_links(self._skeletons, self.attachments())
        header = stamp(self._directory / FILE_NAME)
        if header is None:
            return []
        saved = self._dangling_as_saved(header)
        if saved is not None:
            return saved
        found = dangling_links(self._skeletons, self.attachments())
        if stamp(self._directory / FILE_NAME) == header:  # no other process saved meanwhile
            self._save_dangling(self._directory, found, header)
        return found

    def _dangling_as_saved(self, header: tuple[int, int, int] | None = None) -> list[Dangling] | None:
        """The list saved for the header as it is on disk, or None (nothing is computed)."""
        directory = self._directory
        header = header or (stamp(directory / FILE_NAME) if directory is not None else None)
        if header is None or directory is None:  # a header is only ever given with a directory
            return None
        if self._dangling is None or self._dangling[0] != header:
            found = read_saved(directory / PROBLEMS_FILE, directory / PROBLEMS_BASE, header)
            if found is not None:
                self._dangling, self._dangling_base, self._dangling_since = (header, found[0]), found[1], found[2]
        return self._dangling[1] if self._dangling is not None and self._dangling[0] == header else None

    def dangling_problems(self) -> list[Problem]:
        """`problems()` from `dangling()`: the same warnings, without loading the records."""
        return [row_problem(row) for row in self.dangling()]

    def _save_dangling(self, directory: Path, found: list[Dangling], header: tuple[int, int, int] | None = None,
                       paths: set[str] | None = None) -> None:
        """Write the side file for the header as it is now (or as `header` says): the rows of
        the files changed since the base (`paths` and those of the saves since it), or, when
        they are not known or too many, a new base."""
        header = header or stamp(directory / FILE_NAME)
        if header is None:
            return
        changed = None
        if paths is not None and self._dangling_base is not None:
            since = self._dangling_since | paths
            changed = (self._dangling_base, since) if len(since) <= RECENT_LIMIT else None
        base = write_saved(directory / PROBLEMS_FILE, directory / PROBLEMS_BASE, header, found, changed)
        if base is not None:
            self._dangling, self._dangling_base = (header, found), base
            self._dangling_since = changed[1] if changed is not None else set()

    def _skeletons(self) -> Iterable[Skeleton]:
        """What resolution needs of every record: from memory for shards read, else from disk
        without keeping them (the full records of 50,000 files take ~270 MB)."""
        for number in range(self._shards.count):
            loaded = self._shards.loaded(number)
            if loaded is not None or self._directory is None:
                for r in (loaded or {}).values():
                    yield r.path, r.kind, len(r.listed), r.links, r.keys
                continue
            yield from shard_skeletons(self._directory, number)
