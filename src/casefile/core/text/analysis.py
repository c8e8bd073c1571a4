"""Text analysis shared by indexing and querying: folding, words, Spanish stems, snippets.

Index and query run the same functions, so an accent-less query meets accented text:
words are case- and accent-folded first, then stemmed. Whoosh's Spanish Snowball
stemmer works on accented text (`investigación` and `investigacion` stem apart), so
Spanish uses the same algorithm written for folded text (core/text/spanish_stem.py).
English stemming (Porter) comes from Whoosh, in core/index/schema.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from casefile.core.text.fold import fold
from casefile.core.text.prose import plain_prose
from casefile.core.text.sanitize import clean_line
from casefile.core.text.spanish_stem import stem as spanish_snowball
from casefile.core.text.spans import Span

MAX_WORD = 40
"""Longer runs of letters (base64, hashes) are cut into pieces of this size."""
_WORD = re.compile(rf"\w{{1,{MAX_WORD}}}")
SNIPPET_CHARS = 180


fold_text = fold
"""The core's one fold (core/text/fold.py), under the name the index modules use."""


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
"""Kana and Han: written without spaces between words, so indexed as character bigrams."""


def has_cjk(text: str) -> bool:
    """True when `text` holds Chinese or Japanese (searched as bigrams, so already inside longer runs)."""
    return _CJK.search(text) is not None


def words(text: str) -> list[str]:
    """The folded words of `text`: runs of letters and digits, `MX-2017-004` -> mx 2017 004;
    Chinese and Japanese runs as overlapping bigrams (`中华人民` -> 中华 华人 人民), at index
    and query time alike, so a query word is a phrase of bigrams found inside longer runs."""
    folded = fold_text(text)
    found = _WORD.findall(folded)
    if folded.isascii() or _CJK.search(folded) is None:
        return found
    return [piece for word in found for piece in _pieces(word)]


def _pieces(word: str) -> list[str]:
    """A word cut into its non-CJK parts and the bigrams of its CJK runs, in order."""
    if _CJK.search(word) is None:
        return [word]
    pieces: list[str] = []
    last = 0
    for run in _CJK.finditer(word):
        if run.start() > last:
            pieces.append(word[last:run.start()])
        text = run.group()
        pieces += [text] if len(text) == 1 else [text[i:i + 2] for i in range(len(text) - 1)]
        last = run.end()
    if last < len(word):
        pieces.append(word[last:])
    return pieces


def spanish_stem(word: str) -> str:
    """The Snowball Spanish stem of a folded word: `asesinados` -> `asesin`."""
    return spanish_snowball(word)


StemFunction = Callable[[str], str]


class StemCache(dict[str, str]):
    """word -> stem, filled on demand; lookups by `map(cache.__getitem__, words)` run in C."""

    def __init__(self, stem: StemFunction) -> None:
        super().__init__()
        self.stem = stem

    def __missing__(self, word: str) -> str:
        stem = self.stem(word) if word.isalpha() else word
        if len(self) < 500_000:  # a bound on memory for huge vocabularies
            self[word] = stem
        return stem


class _KeepLengthFold(dict[int, str]):
    """A str.translate table folding one character to one character (for snippet offsets)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = fold(char)
        result = folded if len(folded) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        self[code] = result
        return result


_KEEP_LENGTH = _KeepLengthFold()


@dataclass(frozen=True, slots=True)
class Highlight:
    """What a query matches in text: exact folded words, word prefixes, stem prefixes."""

    exact: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()

    def pattern(self) -> re.Pattern[str] | None:
        """A regex over folded text matching the words to mark, or None."""
        cjk = [re.escape(w) for w in sorted(self.exact, key=len, reverse=True) if _CJK.search(w)]
        parts = [re.escape(w) + r"(?!\w)" for w in sorted(self.exact, key=len, reverse=True) if not _CJK.search(w)]
        parts += [re.escape(p) + r"\w*" for p in sorted(self.prefixes, key=len, reverse=True)]
        if not parts and not cjk:
            return None
        alternatives = [r"(?<!\w)(?:" + "|".join(parts) + ")"] if parts else []
        return re.compile("|".join(alternatives + cjk))  # a bigram sits inside a run of CJK


def snippet(body: str, pattern: re.Pattern[str] | None, width: int = SNIPPET_CHARS,
            ) -> tuple[str, tuple[Span, ...]]:
    """A one-line, sanitized excerpt of `body` around its best match, with match spans."""
    # Only a region around the first match is cleaned of markup (a search shows 50 hits
    # on every keystroke; whole bodies cost 1-2 ms each).
    body = _after_title(body)
    first, last = _region(body, pattern, width)
    text, spans = _excerpt(plain_prose(body[first:last]), pattern, width)
    if first > 0 and not text.startswith("…"):
        text, spans = "…" + text, tuple(Span(s.start + 1, s.end + 1) for s in spans)
    if last < len(body) and not text.endswith("…"):
        text += "…"
    return text, spans


def _after_title(body: str) -> str:
    """The body after its leading `# Title` line (the hit shows the title already)."""
    start = len(body) - len(body.lstrip())
    if not body.startswith("# ", start):
        return body
    end = body.find("\n", start)
    return body[end + 1:] if end != -1 else ""


def _region(body: str, pattern: re.Pattern[str] | None, width: int) -> tuple[int, int]:
    """Raw body offsets around the first match, cut at spaces (the whole body when short)."""
    if len(body) <= 4 * width:
        return 0, len(body)
    middle = _first_match(body, pattern) if pattern is not None else 0
    first = max(0, middle - 2 * width)
    last = min(len(body), middle + 3 * width)
    if first > 0:  # from a line's start, so a heading or table row is still seen as one
        first = body.find("\n", first, middle) + 1 or body.find(" ", first, middle) + 1 or first
    space = body.rfind(" ", middle, last)
    if last < len(body) and space > middle:
        last = space
    return first, last


def _first_match(body: str, pattern: re.Pattern[str], chunk: int = 4096) -> int:
    """Offset of the first match in `body` (0 if none), folding it a chunk at a time:
    matches are usually early, and folding a whole 100 KB body took milliseconds."""
    overlap = 2 * MAX_WORD
    for start in range(0, len(body), chunk):
        first = max(0, start - overlap)
        before = 1 if first else 0  # one character more, so (?<!\w) sees what precedes
        found = pattern.search(_fold_same_length(body[first - before:start + chunk]), before)
        if found:
            return first - before + found.start()
    return 0


def _fold_same_length(text: str) -> str:
    """Folded text with the same offsets (ASCII: lower-case, in C)."""
    return text.lower() if text.isascii() else text.translate(_KEEP_LENGTH)


def _excerpt(flat: str, pattern: re.Pattern[str] | None, width: int) -> tuple[str, tuple[Span, ...]]:
    """The excerpt of already flattened text around its first match."""
    start = 0
    if pattern is not None:
        found = pattern.search(_fold_same_length(flat))
        if found:
            start = _window_start(flat, found.start(), width)
    end = min(len(flat), start + width)
    if end < len(flat):
        cut = flat.rfind(" ", start + width // 2, end)
        end = cut if cut > 0 else end
    text = ("…" if start > 0 else "") + clean_line(flat[start:end]).strip() + ("…" if end < len(flat) else "")
    if pattern is None:
        return text, ()
    spans = tuple(Span(m.start(), m.end()) for m in pattern.finditer(_fold_same_length(text)))
    return text, spans


def _window_start(flat: str, match_start: int, width: int) -> int:
    """Start the window a little before the match, at a word boundary."""
    start = max(0, match_start - width // 4)
    if start == 0:
        return 0
    space = flat.find(" ", start, match_start)
    return space + 1 if space != -1 else start


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in order."""
    return list(dict.fromkeys(items))
