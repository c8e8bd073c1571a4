"""Which files hold which words: finds the files a newly known name may appear in.

When the archive learns a name (a new entity page, alias or listed name), only files
holding all of the name's words are read again. The big word -> files map lives in its
own file (xref/words_file.py), loaded only when a new name needs it; words of files read
since it was written stay with their records (pending) until there are enough to fold in.
A new map (a build) is never held in memory: each fold is sorted and written as a run
(core/spill.py `Runs`), and the runs are merged straight into the file.
Entries for files that changed or disappeared may linger: they only cost a needless
re-read, since every candidate is scanned again before anything is recorded.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from casefile.core.spill import Runs
from casefile.core.xref import words_file
from casefile.core.xref.mentions import indexable

FILE_NAME = "xref-words.marshal"
PENDING_LIMIT = 2000
RUN_FILES = 500
"""Files per run of a new map (a fold of pending words: fewer held at once)."""


class WordIndex:
    """An inverted index of indexable words -> file paths (the big map)."""

    def __init__(self, directory: Path | None, runs_dir: Path | None = None) -> None:
        self.directory = directory
        self._paths: list[str] | None = None
        self._postings: dict[str, array[int]] | None = None
        self._runs = Runs(runs_dir) if runs_dir is not None else None
        """A new map's folds, on disk (None: the map is held in `_postings`, then empty)."""
        if self._runs is not None:
            self._paths, self._postings = [], {}
        self.changed = False
        """True when the big map must be written again."""

    @property
    def pending_limit(self) -> int:
        """Files whose words wait before they are folded in."""
        return RUN_FILES if self._runs is not None else PENDING_LIMIT

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
        postings = self._postings_of(needed)
        paths = self._load()[1]
        found: set[str] = set()
        for words in wanted:
            found.update(set.intersection(*(holders[w] for w in words)))
            found.update(paths[n] for n in _holding_all(postings, words))
        return found - exclude

    def _postings_of(self, words: set[str]) -> dict[str, array[int]]:
        """The file numbers of these words in the big map (held, or in runs)."""
        if self._runs is None:
            return self._load()[0]
        found: dict[str, array[int]] = {}
        for word, parts in self._runs.find(words).items():
            row = found[word] = array("I")
            for raw in parts:
                row.frombytes(raw)
        return found

    def _load(self) -> tuple[dict[str, array[int]], list[str]]:
        """The big map, read from disk on first use (empty when missing or unreadable)."""
        if self._postings is None or self._paths is None:
            read = words_file.read(self.directory / FILE_NAME) if self.directory else None
            self._paths, self._postings = read if read is not None else ([], {})
        return self._postings, self._paths

    def add(self, pending: Mapping[str, tuple[str, ...]]) -> None:
        """Put the words of files read lately into the big map."""
        postings, paths = self._load()
        if self._runs is not None:
            self._add_run(pending, paths)
            return
        number = {path: n for n, path in enumerate(paths)}
        for path, words in pending.items():
            n = number.get(path)
            if n is None:
                n = number[path] = len(paths)
                paths.append(path)
            _post(postings, n, words)
        self.changed = True

    def _add_run(self, pending: Mapping[str, tuple[str, ...]], paths: list[str]) -> None:
        """Fold pending words into a new run (a file read again gets a new number: its old one lingers)."""
        assert self._runs is not None
        fold: dict[str, array[int]] = {}
        for path, words in pending.items():
            paths.append(path)
            _post(fold, len(paths) - 1, words)
        self._runs.add(sorted((word, row.tobytes()) for word, row in fold.items()))
        self.changed = True

    def write(self, directory: Path) -> None:
        """Write the big map to `directory`."""
        postings, paths = self._load()
        words_file.write(directory / FILE_NAME, paths, self._rows(postings))

    def _rows(self, postings: dict[str, array[int]]) -> Iterator[tuple[str, bytes]]:
        """(word, file numbers) of the whole map, sorted by word (`postings` is empty with runs)."""
        if self._runs is None:
            return ((word, postings[word].tobytes()) for word in sorted(postings))
        return ((word, b"".join(parts)) for word, parts in self._runs.merged())

    def must_write(self, directory: Path) -> bool:
        """True when the big map must be written to `directory` (changed, or a new place)."""
        return self.changed or (directory != self.directory and bool(self._load()[1]))


def _post(postings: dict[str, array[int]], number: int, words: Iterable[str]) -> None:
    """File `number` holds these words."""
    for word in words:
        row = postings.get(word)
        if row is None:
            row = postings[word] = array("I")
        row.append(number)


def _holding_all(postings: Mapping[str, array[int]], words: list[str]) -> set[int]:
    """Numbers of the files holding every word (the rarest word first)."""
    found: set[int] | None = None
    for word in sorted(words, key=lambda w: len(postings.get(w, ()))):
        numbers = set(postings.get(word, ()))
        found = numbers if found is None else found & numbers
        if not found:
            return set()
    return found or set()
