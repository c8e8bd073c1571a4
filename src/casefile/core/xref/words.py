"""Which files hold which words: finds the files a newly known name may appear in.

When the archive learns a name (a new entity page, alias or listed name), only files
holding all of the name's words are read again. The big word -> files map lives in its
own file, loaded only when a new name needs it; words of files read since it was
written stay with their records (pending) until there are enough to fold in.
Entries for files that changed or disappeared may linger: they only cost a needless
re-read, since every candidate is scanned again before anything is recorded.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path

from casefile.core.xref.files import read_marshal
from casefile.core.xref.mentions import indexable

FILE_NAME = "xref-words.marshal"
FORMAT = 1
PENDING_LIMIT = 2000


class WordIndex:
    """An inverted index of indexable words -> file paths (the big map)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._paths: list[str] | None = None
        self._postings: dict[str, array[int]] | None = None
        self.changed = False
        """True when the big map must be written again."""

    def candidates(self, keys: Iterable[str], exclude: set[str],
                   pending: Mapping[str, tuple[str, ...]]) -> set[str]:
        """Paths of files, other than `exclude`, that may contain one of these mention keys.

        `pending` holds the words of files read since the big map was written.
        """
        wanted = [words for key in keys if (words := [w for w in key.split() if indexable(w)])]
        if not wanted:
            return set()
        needed = {word for words in wanted for word in words}
        holders: dict[str, set[str]] = {word: set() for word in needed}
        for path, held in pending.items():
            if path not in exclude:
                for word in needed.intersection(held):
                    holders[word].add(path)
        found: set[str] = set()
        for words in wanted:
            found.update(set.intersection(*(holders[w] for w in words)))
            found.update(self._lookup(words))
        return found - exclude

    def _lookup(self, words: list[str]) -> set[str]:
        """Paths in the big map holding every word."""
        postings, paths = self._load()
        found: set[int] | None = None
        for word in sorted(words, key=lambda w: len(postings.get(w, ()))):
            numbers = set(postings.get(word, ()))
            found = numbers if found is None else found & numbers
            if not found:
                return set()
        return {paths[n] for n in found or ()}

    def _load(self) -> tuple[dict[str, array[int]], list[str]]:
        """The big map, read from disk on first use (empty when missing or unreadable)."""
        if self._postings is None or self._paths is None:
            self._paths, self._postings = [], {}
            data = read_marshal(self.directory / FILE_NAME) if self.directory else None
            if isinstance(data, dict) and data.get("format") == FORMAT:
                self._paths = list(data["paths"])
                self._postings = {w: array("I", raw) for w, raw in data["postings"].items()}
        return self._postings, self._paths

    def add(self, pending: Mapping[str, tuple[str, ...]]) -> None:
        """Put the words of files read lately into the big map."""
        postings, paths = self._load()
        number = {path: n for n, path in enumerate(paths)}
        for path, words in pending.items():
            n = number.get(path)
            if n is None:
                n = number[path] = len(paths)
                paths.append(path)
            for word in words:
                row = postings.get(word)
                if row is None:
                    row = postings[word] = array("I")
                row.append(n)
        self.changed = True

    def big_map_data(self) -> bytes:
        """The big map, serialized."""
        postings, paths = self._load()
        return marshal.dumps({"format": FORMAT, "paths": paths,
                              "postings": {w: row.tobytes() for w, row in postings.items()}})

    def must_write(self, directory: Path) -> bool:
        """True when the big map must be written to `directory` (changed, or a new place)."""
        return self.changed or (directory != self.directory and bool(self._load()[1]))
