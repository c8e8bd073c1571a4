"""Unlinked mentions: find known names, as whole words, in a body tokenized once.

A body is split into folded words line by line (`names.name_words`: accent- and
case-insensitive). Each name is filed under one *anchor* word, its longest word that
is not a stop word, so a line is checked by one dict lookup per word whatever the
number of names (never a scan of every name against every file). Matches are taken
leftmost-longest, so `Mexico City` does not also count as `Mexico`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from casefile.core.read.scan import prose_segments  # the parser's own notion of "outside code"
from casefile.core.text.fold import fold
from casefile.core.text.names import without_invisible
from casefile.core.text.sanitize import clean_line
from casefile.core.text.wikilinks import mask_wiki

CONTEXT_CHARS = 120
MAX_CONTEXT_SOURCE = 4096
"""Only this much of a line is looked at for a context (links past it show the line's start)."""
MAX_NAME_WORDS = 12
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_BLOCK_START = re.compile(r"^\s*(?:[#>|*+-]|\d+[.)])")
"""A line that starts a heading, quote, table row or list item starts a new block."""
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were "
    "will with al con de del el en es la las lo los o para por que se su sus un una y".split()
)

Mention = tuple[str, int, str]
"""(mention key, 1-based line, context line) as stored."""


@functools.lru_cache(maxsize=1 << 18)
def mention_key(name: str) -> str:
    """The folded words of a name, space-joined: what a mention must spell."""
    return " ".join(line_words(name))


def indexable(word: str) -> bool:
    """True for words worth remembering per case (anchors of possible names)."""
    return len(word) > 1 and word not in STOPWORDS


def _anchor(words: tuple[str, ...]) -> int | None:
    """Position of the word a name is filed under, or None if no word qualifies."""
    best: int | None = None
    for position, word in enumerate(words):
        if indexable(word) and (best is None or len(word) > len(words[best])):
            best = position
    return best


Shape = tuple[int, int]
"""(position of the anchor in a name, number of words of the name)."""


@dataclass(slots=True)
class Matcher:
    """Known names filed under their anchor word, then by shape, for one-pass matching.

    Many names share an anchor (a common surname); grouping them by shape makes a hit
    cost one dict lookup per shape instead of one comparison per name.
    """

    anchors: dict[str, dict[Shape, dict[tuple[str, ...], str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[str]) -> Matcher:
        """A matcher for mention keys (as `mention_key` returns them)."""
        matcher = cls()
        for key in keys:
            matcher.add(key)
        return matcher

    def add(self, key: str) -> None:
        """File one mention key under its anchor."""
        words = tuple(key.split())
        position = _anchor(words) if 0 < len(words) <= MAX_NAME_WORDS else None
        if position is not None:
            shapes = self.anchors.setdefault(words[position], {})
            shapes.setdefault((position, len(words)), {})[words] = key

    def remove(self, key: str) -> None:
        """Forget one mention key."""
        words = tuple(key.split())
        position = _anchor(words) if 0 < len(words) <= MAX_NAME_WORDS else None
        shapes = self.anchors.get(words[position], {}) if position is not None else {}
        names = shapes.get((position, len(words)), {}) if position is not None else {}
        names.pop(words, None)
        if position is not None and not names:
            shapes.pop((position, len(words)), None)
            if not shapes:
                self.anchors.pop(words[position], None)

    def find(self, words: list[str]) -> Iterator[tuple[int, str]]:
        """Leftmost-longest matches in a word list, as (start word, key)."""
        hits = self.anchors.keys() & set(words)  # set operations run in C; most lines have no hit
        found = []
        for word in hits:
            shapes = self.anchors[word]
            index = -1
            while (index := _index(words, word, index + 1)) >= 0:
                for (offset, length), names in shapes.items():
                    start = index - offset
                    key = names.get(tuple(words[start:start + length])) if start >= 0 else None
                    if key is not None:
                        found.append((start, -length, key))
        end = 0
        for start, minus_length, key in sorted(found):
            if start >= end:
                end = start - minus_length
                yield start, key


def _index(words: list[str], word: str, start: int) -> int:
    """Position of `word` in `words` from `start`, or -1."""
    try:
        return words.index(word, start)
    except ValueError:
        return -1


def line_words(line: str) -> list[str]:
    """Folded words of one line, exactly as `names.name_words` would split it."""
    return _WORD.findall(fold(line))


@functools.lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """`names.normalize_name`, cached: names repeat across thousands of files."""
    return " ".join(fold(without_invisible(name)).split())


@dataclass(slots=True)
class BodyScan:
    """What one body holds for the cross-reference: mentions and its words."""

    mentions: list[Mention] = field(default_factory=list)
    """First occurrence of each known name (skipped names excepted)."""
    words: set[str] = field(default_factory=set)
    """Indexable folded words, to find the file again when new names appear."""


def scan_body(body: str, first_line: int, matcher: Matcher, skip: frozenset[str] | set[str],
              ) -> BodyScan:
    """Mentions of the matcher's names in prose (not code, not inside `[[...]]`).

    Lines are matched a paragraph at a time, so a name wrapped from one line to the
    next (`... del sexenio de Peña` / `Nieto ...`) is found; it is located on its first line.
    A run of prose lines where no name's anchor word occurs is never split in paragraphs:
    its words are found in one pass (300,000 one-line paragraphs cost seconds).
    """
    scan = BodyScan()
    seen = set(skip)
    for number, text in prose_segments(body, first_line):
        folded = _folded_prose(text)
        words = set(_WORD.findall(folded))
        scan.words.update(words)
        live = {word for word in matcher.anchors.keys() & words if _unseen(matcher.anchors[word], seen)}
        lines = text.split("\n") if live else []
        done = 0  # the segment's lines before this one are matched
        for index in _lines_with(folded, live):
            if index >= done:
                start, done = _paragraph_around(lines, index)
                _match_block(scan, seen, matcher, list(enumerate(lines[start:done], number + start)))
    scan.words = {word for word in scan.words - STOPWORDS if len(word) > 1}  # = indexable(word)
    return scan


def _match_block(scan: BodyScan, seen: set[str], matcher: Matcher, block: list[tuple[int, str]]) -> None:
    """Record the first mention of each name not yet seen in one paragraph."""
    words, starts = _block_words(block)
    for start, key in matcher.find(words):
        if key not in seen:
            seen.add(key)
            number, line = block[bisect.bisect_right(starts, start) - 1]
            scan.mentions.append((key, number, context(line, words[start])))


def _unseen(shapes: dict[Shape, dict[tuple[str, ...], str]], seen: set[str]) -> bool:
    """True when some name filed under an anchor has not been seen (else its matches count for nothing)."""
    return any(key not in seen for names in shapes.values() for key in names.values())


def _lines_with(folded: str, anchors: set[str]) -> list[int]:
    """Indexes of the lines of `folded` holding one of `anchors` (a superset: as substrings)."""
    places = []
    for anchor in anchors:
        at = folded.find(anchor)
        while at >= 0:
            places.append(at)
            at = folded.find(anchor, at + len(anchor))
    indexes, line, position = [], 0, 0
    for at in sorted(places):
        line += folded.count("\n", position, at)  # counted once in C over the whole segment
        position = at
        indexes.append(line)
    return indexes


def _paragraph_around(lines: list[str], index: int) -> tuple[int, int]:
    """[start, end) of the paragraph holding the non-blank line `index` (as `_paragraphs` cuts)."""
    start, end = index, index + 1
    while start > 0 and lines[start - 1].strip() and not _BLOCK_START.match(lines[start]):
        start -= 1
    while end < len(lines) and lines[end].strip() and not _BLOCK_START.match(lines[end]):
        end += 1
    return start, end


Paragraph = tuple[list[tuple[int, str]], list[str], list[int]]
"""(its (line number, line) pairs, its folded words, the index of each line's first word)."""


def paragraph_words(body: str, first_line: int) -> Iterator[Paragraph]:
    """The prose paragraphs of a body with their words (not inside `[[...]]`): what
    matching names runs on, here and in the build workers (xref_record.prepare)."""
    for number, text in prose_segments(body, first_line):
        yield from _segment_paragraphs(number, text)


def _folded_prose(text: str) -> str:
    """Prose folded for matching, wiki-links blanked (folding never adds or removes a line break)."""
    return fold(mask_wiki(text))


def _segment_paragraphs(number: int, text: str) -> Iterator[Paragraph]:
    """The paragraphs of one run of prose lines whose first line is `number`."""
    for block in _paragraphs(enumerate(text.split("\n"), number)):
        yield (block, *_block_words(block))


def _block_words(block: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
    """The folded words of a paragraph, and where each of its lines' words start."""
    words: list[str] = []
    starts: list[int] = []
    # folded a paragraph at a time: the same words as `line_words` line by line, in a
    # third of the calls
    for line in _folded_prose("\n".join(line for _number, line in block)).split("\n"):
        starts.append(len(words))
        words.extend(_WORD.findall(line))
    return words, starts


def _paragraphs(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Consecutive prose lines grouped in paragraphs: a blank line or a new block ends one."""
    block: list[tuple[int, str]] = []
    for number, line in lines:
        blank = not line.strip()
        if block and (blank or _BLOCK_START.match(line)):
            yield block
            block = []
        if not blank:
            block.append((number, line))
    if block:
        yield block


def context(line: str, word: str = "") -> str:
    """The line, sanitized, trimmed to about CONTEXT_CHARS around `word`."""
    # Bounded work per call: a hostile 70 KB line holding 5,000 links was 7 s of check.
    text = clean_line(" ".join(line[:MAX_CONTEXT_SOURCE].split()))
    if len(text) > CONTEXT_CHARS:
        at = _position(text, word)
        start = max(0, min(at - CONTEXT_CHARS // 3, len(text) - CONTEXT_CHARS))
        text = ("…" if start else "") + text[start:start + CONTEXT_CHARS].strip() \
            + ("…" if start + CONTEXT_CHARS < len(text) else "")
    return text


def _position(text: str, word: str) -> int:
    """About where a folded word starts in the text (0 when not found).

    Found in the folded line, whose offsets match the original's except after the rare
    characters folding lengthens (`ß`, ligatures): good enough to centre a context.
    """
    if not word:
        return 0
    folded = _folded(text)
    start = 0
    while (at := folded.find(word, start)) >= 0:
        end = at + len(word)
        if (at == 0 or not _in_word(folded[at - 1])) and (end == len(folded) or not _in_word(folded[end])):
            return at
        start = at + 1
    return 0


@functools.lru_cache(maxsize=64)
def _folded(text: str) -> str:
    """`fold`, remembered for the last lines (a line with many links is asked many times)."""
    return fold(text)


def _in_word(ch: str) -> bool:
    """True for characters that continue a word."""
    return ch.isalnum() or ch == "_"
